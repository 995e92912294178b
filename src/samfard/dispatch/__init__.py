"""Dispatch: the fleet as the planner sees it, stored day plans, manifests, live insertion."""
