// Two routes run as one: the stops of a short route and another driven by one vehicle
// (either's, or an unused one of another class), in the order their schedules visit them
// or with the short route's requests put one at a time into the other's stops.
//
// A fixed fee, the depot legs and a shift's paid hours are paid once per route, so two
// routes that could run as one pay them twice. Destroy and repair empties a route one
// request at a time, each put where it is cheapest alone, and a request that costs less
// on the vehicle it leaves than beside the other route's riders stays: on random problems
// two routes of one trip each were kept through 20 000 iterations though an unused vehicle
// carried both for less (seed 948). The order in time costs one schedule per vehicle
// tried, but it may not run on that vehicle, or cost more than another: on small random
// problems solved exactly by enumeration, two routes stayed apart 18 % and 45 % dearer
// because the one route that carries both picks up a rider of one while one of the other
// is on board (seeds 11043 and 8808, 2026-12-05), hence the requests put in one by one.
// Only pairs with a short route (kShortRoute requests or fewer) are tried, and a pair
// only when one of its routes changed since the last descent ended (`certified_`).
#pragma once

#include <vector>

#include "instance.hpp"
#include "plan.hpp"

namespace samfard {

class RouteMerge {
public:
    RouteMerge(const Instance& in, Planner& pl, const std::vector<std::vector<int>>& neighbours)
        : in_(in), pl_(pl), neighbours_(neighbours) {}

    // First-improvement descent until no two routes are cheaper as one, or `stop()`. True
    // when a move was made. `touch(v)` is called before route v changes.
    template <class Touch, class Stop>
    bool descend(std::vector<Route>& routes, std::vector<int>& route_of, Touch&& touch, Stop&& stop) {
        const auto move = [&](int a) {
            if (!improve(routes, route_of, a)) return false;
            install(routes, route_of, touch);
            return true;
        };
        return descend_routes(routes, certified_, move, stop);
    }

private:
    // The first route b that runs with route a as one route for less, on the vehicle and in
    // the order where that costs least: the merged route built in merged_, a and b in a_
    // and b_.
    bool improve(const std::vector<Route>& routes, const std::vector<int>& route_of, int a) {
        const int nv = static_cast<int>(routes.size());
        const Route& ra = routes[a];
        const bool a_changed = ra.seq != certified_[a];
        const std::vector<int> unused = unused_by_class(in_, routes);
        for (int b = a + 1; b < nv; ++b) {
            const Route& rb = routes[b];
            if (rb.empty()) continue;
            if (!is_short(ra) && !is_short(rb)) continue;
            if (!a_changed && rb.seq == certified_[b]) continue;
            interleave(ra, rb);
            double least = ra.cost() + rb.cost() - 1e-9;
            bool found = false;
            for (int w : vehicles_for(unused, a, b)) {
                const double cost = pl_.cost_of(w, seq_);
                if (cost < least) {
                    least = cost;
                    merged_.v = w;
                    merged_.seq = seq_;
                    found = pl_.refresh(merged_);
                }
                found = joined(w, routes, route_of, a, b, least) || found;
                found = joined(w, routes, route_of, b, a, least) || found;
            }
            if (!found) continue;
            a_ = a;
            b_ = b;
            return true;
        }
        return false;
    }

    // The requests of short route `extra` put one at a time into route `base`'s stops on
    // vehicle w, each where it is cheapest: the order the schedules interleave in time
    // may not run on w, or cost more than another (a rider of one picked up while one of
    // the other is on board). Into merged_ when cheaper than `least`, which it lowers.
    // Tried only when a request of `extra` has a granular neighbour in `base`: each try
    // schedules `base` on w and an insertion per request, which over every pair of routes
    // took a fifth of the search's time on the 3 000-trip day.
    bool joined(int w, const std::vector<Route>& routes, const std::vector<int>& route_of, int base,
                int extra, double& least) {
        if (!is_short(routes[extra]) || !near(routes[extra], route_of, base)) return false;
        if (w == base) {
            built_ = routes[base];
        } else {
            built_.v = w;
            built_.seq = routes[base].seq;
            if (!pl_.refresh(built_)) return false;
        }
        if (!pl_.insert_all(built_, routes[extra]) || built_.cost() >= least) return false;
        least = built_.cost();
        std::swap(merged_, built_);
        return true;
    }

    // Whether a request of route r has a granular neighbour in route `other`.
    bool near(const Route& r, const std::vector<int>& route_of, int other) const {
        for (int node : r.seq) {
            if (!is_pickup(node)) continue;
            for (int n : neighbours_[request_of(node)])
                if (route_of[n] == other) return true;
        }
        return false;
    }

    // The stops of both routes in the order of their scheduled times (a's first on a tie).
    void interleave(const Route& ra, const Route& rb) {
        seq_.clear();
        size_t i = 0, j = 0;
        const std::vector<double>& ta = ra.sch.times;
        const std::vector<double>& tb = rb.sch.times;
        while (i < ra.seq.size() || j < rb.seq.size()) {
            const bool take_a = j == rb.seq.size() || (i < ra.seq.size() && ta[i] <= tb[j]);
            seq_.push_back(take_a ? ra.seq[i++] : rb.seq[j++]);
        }
    }

    // The vehicles the merged route is tried on: a's, b's when it is of another class, and
    // one unused vehicle of each class neither is of.
    const std::vector<int>& vehicles_for(const std::vector<int>& unused, int a, int b) {
        tried_.clear();
        tried_.push_back(a);
        if (in_.vclass[b] != in_.vclass[a]) tried_.push_back(b);
        for (int w : unused)
            if (in_.vclass[w] != in_.vclass[a] && in_.vclass[w] != in_.vclass[b]) tried_.push_back(w);
        return tried_;
    }

    // The merged route in its vehicle's place; a and b, when not that vehicle, emptied.
    template <class Touch>
    void install(std::vector<Route>& routes, std::vector<int>& route_of, Touch&& touch) {
        for (int x : {a_, b_}) {
            if (x == merged_.v) continue;
            touch(x);
            pl_.clear(routes[x]);
        }
        const int w = merged_.v;
        touch(w);
        routes[w] = std::move(merged_);
        for (int node : routes[w].seq) route_of[request_of(node)] = w;
    }

    const Instance& in_;
    Planner& pl_;
    const std::vector<std::vector<int>>& neighbours_;
    std::vector<std::vector<int>> certified_;  // each route's stops when the last descent ended
    std::vector<int> seq_, tried_;
    Route merged_, built_;
    int a_ = -1, b_ = -1;
};

}  // namespace samfard
