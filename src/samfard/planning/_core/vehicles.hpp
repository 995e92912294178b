// Whole routes to other vehicles: a route moved to an unused vehicle, or two routes
// exchanging their vehicles.
//
// On a fleet of different tariffs, depots and shifts, which vehicle a sequence of trips is
// cheapest on is a property of the whole sequence: a fixed fee, a stretch fee or a depot far
// away weighs on the first trip and is shared by the rest. Destroy and repair rebuilds a
// route one request at a time, each into the vehicle that is cheapest for it alone, so it
// reaches these moves only by chance: on random problems a route that cost 7 % more on
// its vehicle than on an unused one was kept through 20 000 iterations, on every seed.
// The descent tries every route on every vehicle of another class (Instance::vclass:
// vehicles alike in everything the plan pays or checks), and of the unused vehicles of a
// class only one, so a fleet of one class costs it nothing. A short route whose order
// does not pay on an unused vehicle is also rebuilt there request by request: another
// depot or shift may want another order (small random problems solved exactly kept five
// such routes 2.8-28 % dearer, 2026-12-05). A pair is tried only when one of its two
// routes changed since the last descent ended (`certified_`).
#pragma once

#include <algorithm>
#include <vector>

#include "instance.hpp"
#include "plan.hpp"

namespace samfard {

class VehicleSwap {
public:
    VehicleSwap(const Instance& in, Planner& pl) : in_(in), pl_(pl) {
        classes_ = in.vclass.empty() ? 0 : *std::max_element(in.vclass.begin(), in.vclass.end()) + 1;
    }

    // First-improvement descent until no route is cheaper on another vehicle, or `stop()`.
    // True when a move was made. `touch(v)` is called before route v changes.
    template <class Touch, class Stop>
    bool descend(std::vector<Route>& routes, std::vector<int>& route_of, Touch&& touch, Stop&& stop) {
        if (classes_ < 2) return false;
        const auto move = [&](int a) {
            if (!improve(routes, a)) return false;
            install_pair(routes, route_of, a, std::move(na_), partner_, std::move(nb_), touch);
            return true;
        };
        return descend_routes(routes, certified_, move, stop);
    }

private:
    // The first vehicle b whose exchange with route a is cheaper, built in na_ (a's
    // vehicle, b's stops) and nb_ (b's vehicle, a's stops); b in partner_.
    bool improve(const std::vector<Route>& routes, int a) {
        const int nv = static_cast<int>(routes.size());
        const Route& ra = routes[a];
        const bool a_changed = ra.seq != certified_[a];
        tried_.assign(classes_, 0);
        for (int b = 0; b < nv; ++b) {
            if (in_.vclass[b] == in_.vclass[a]) continue;
            const Route& rb = routes[b];
            if (rb.empty()) {
                // One unused vehicle per class: the others would cost the same.
                if (tried_[in_.vclass[b]]) continue;
                tried_[in_.vclass[b]] = 1;
            } else if (b < a) {
                continue;  // the pair was tried from b's side
            }
            if (!a_changed && rb.seq == certified_[b]) continue;
            const double old_cost = ra.cost() + (rb.empty() ? 0.0 : rb.cost());
            // Costs are never negative: a's stops alone on b costing what both did need no
            // schedule of b's stops on a.
            const double on_b = pl_.cost_of(b, ra.seq);
            if (on_b >= old_cost - 1e-9) {
                if (rb.empty() && rebuilt(ra, b, old_cost - 1e-9)) {
                    partner_ = b;
                    return true;
                }
                continue;
            }
            if (on_b + pl_.cost_of(a, rb.seq) >= old_cost - 1e-9) continue;
            na_.v = a;
            na_.seq = rb.seq;
            nb_.v = b;
            nb_.seq = ra.seq;
            if (!pl_.refresh(na_) || !pl_.refresh(nb_)) continue;
            partner_ = b;
            return true;
        }
        return false;
    }

    // Short route a's requests put one at a time into unused vehicle b, each where it is
    // cheapest, when a's order costs `below` or more there (or does not run): another depot
    // or shift wants another order. Into nb_, with a emptied in na_.
    bool rebuilt(const Route& ra, int b, double below) {
        if (!is_short(ra)) return false;
        nb_.v = b;
        pl_.clear(nb_);
        if (!pl_.insert_all(nb_, ra) || nb_.cost() >= below) return false;
        na_.v = ra.v;
        pl_.clear(na_);
        return true;
    }

    const Instance& in_;
    Planner& pl_;
    int classes_ = 0;
    std::vector<std::vector<int>> certified_;  // each route's stops when the last descent ended
    std::vector<char> tried_;                  // per class: an unused vehicle of it tried
    Route na_, nb_;
    int partner_ = -1;
};

}  // namespace samfard
