// Two routes run as one: the stops of a short route and another, in the order their
// schedules visit them, driven by one vehicle (either's, or an unused one of another class).
//
// A fixed fee, the depot legs and a shift's paid hours are paid once per route, so two
// routes that could run as one pay them twice. Destroy and repair empties a route one
// request at a time, each put where it is cheapest alone, and a request that costs less
// on the vehicle it leaves than beside the other route's riders stays: on random problems
// two routes of one trip each were kept through 20 000 iterations though an unused vehicle
// carried both for less (seed 948). The merged sequence keeps both routes' order of
// visits, as their schedules interleave them in time, so the move is one schedule per
// vehicle tried. Only pairs with a short route (kShort requests or fewer) are tried, and
// a pair only when one of its routes changed since the last descent ended (`certified_`).
#pragma once

#include <vector>

#include "instance.hpp"
#include "plan.hpp"

namespace samfard {

class RouteMerge {
public:
    RouteMerge(const Instance& in, Planner& pl) : in_(in), pl_(pl) {}

    // First-improvement descent until no two routes are cheaper as one, or `stop()`. True
    // when a move was made. `touch(v)` is called before route v changes.
    template <class Touch, class Stop>
    bool descend(std::vector<Route>& routes, std::vector<int>& route_of, Touch&& touch, Stop&& stop) {
        const auto move = [&](int a) {
            if (!improve(routes, a)) return false;
            install(routes, route_of, touch);
            return true;
        };
        return descend_routes(routes, certified_, move, stop);
    }

private:
    static constexpr size_t kShort = 3;

    // The first route b that runs with route a as one route for less, on the vehicle where
    // that costs least: the merged route built in merged_, a and b in a_ and b_.
    bool improve(const std::vector<Route>& routes, int a) {
        const int nv = static_cast<int>(routes.size());
        const Route& ra = routes[a];
        const bool a_changed = ra.seq != certified_[a];
        const std::vector<int> unused = unused_by_class(in_, routes);
        for (int b = a + 1; b < nv; ++b) {
            const Route& rb = routes[b];
            if (rb.empty()) continue;
            if (ra.seq.size() > 2 * kShort && rb.seq.size() > 2 * kShort) continue;
            if (!a_changed && rb.seq == certified_[b]) continue;
            interleave(ra, rb);
            double least = ra.cost() + rb.cost() - 1e-9;
            int cheapest = -1;
            for (int w : vehicles_for(unused, a, b)) {
                const double cost = pl_.cost_of(w, seq_);
                if (cost < least) {
                    least = cost;
                    cheapest = w;
                }
            }
            if (cheapest < 0) continue;
            merged_.v = cheapest;
            merged_.seq = seq_;
            if (!pl_.refresh(merged_)) continue;
            a_ = a;
            b_ = b;
            return true;
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
    std::vector<std::vector<int>> certified_;  // each route's stops when the last descent ended
    std::vector<int> seq_, tried_;
    Route merged_;
    int a_ = -1, b_ = -1;
};

}  // namespace samfard
