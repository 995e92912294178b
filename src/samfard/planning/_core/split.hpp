// A route cut in two, one part driven by an unused vehicle: the inverse of two routes run
// as one (merge.hpp).
//
// A route that carries stretches far apart in time or place may cost more on one vehicle
// than on two: the hours between them paid, or the drive from one to the other, against a
// second vehicle's fixed fee and depot legs. Destroy and repair moves requests one at a
// time, and the first put alone into an unused vehicle pays that vehicle's fee and legs
// alone, so it goes back: on small random problems solved exactly by enumeration, a route
// of three trips was kept 4.5 % dearer than the same trips on two vehicles through 2 000
// iterations (seed 16415, 2026-12-05). Any route is cut where nobody is on board, each
// part tried on an unused vehicle (one per class) with the other staying; a short route
// (kShortRoute requests or fewer) also has its requests shared out in every way, the
// part that moves rebuilt request by request, so riders of both parts may have ridden
// together (seed 21171: 7 % dearer). Only while the vehicle limit allows one more, and a
// route only when it changed since the last descent ended (`certified_`). The search runs
// this descent on the plan it returns (Search::finish).
#pragma once

#include <algorithm>
#include <utility>
#include <vector>

#include "instance.hpp"
#include "plan.hpp"

namespace samfard {

class RouteSplit {
public:
    RouteSplit(const Instance& in, Planner& pl) : in_(in), pl_(pl) {}

    // First-improvement descent until no route is cheaper cut in two, or `stop()`. True when
    // a move was made. `touch(v)` is called before route v changes.
    template <class Touch, class Stop>
    bool descend(std::vector<Route>& routes, std::vector<int>& route_of, Touch&& touch, Stop&& stop) {
        const auto move = [&](int a) {
            if (!improve(routes, a)) return false;
            install_pair(routes, route_of, a, std::move(stays_), moved_.v, std::move(moved_), touch);
            return true;
        };
        return descend_routes(routes, certified_, move, stop);
    }

private:
    // The first cut of route a whose two parts cost less on a and an unused vehicle: the
    // part that stays built in stays_, the other in moved_.
    bool improve(const std::vector<Route>& routes, int a) {
        const Route& ra = routes[a];
        if (ra.seq == certified_[a]) return false;
        int used = 0;
        for (const Route& r : routes) used += r.empty() ? 0 : 1;
        if (used >= in_.max_vehicles) return false;
        const std::vector<int> unused = unused_by_class(in_, routes);
        const double below = ra.cost() - 1e-9;
        const int m = static_cast<int>(ra.seq.size());
        int on_board = 0;
        for (int p = 1; p < m; ++p) {
            on_board += is_pickup(ra.seq[p - 1]) ? 1 : -1;
            if (on_board != 0) continue;
            head_.assign(ra.seq.begin(), ra.seq.begin() + p);
            tail_.assign(ra.seq.begin() + p, ra.seq.end());
            for (int w : unused) {
                for (const bool head_moves : {true, false}) {
                    const std::vector<int>& there = head_moves ? head_ : tail_;
                    const std::vector<int>& here = head_moves ? tail_ : head_;
                    // Costs are never negative: the moved part alone costing what the route
                    // did needs no schedule of the part that stays.
                    const double on_w = pl_.cost_of(w, there);
                    if (on_w >= below || on_w + pl_.cost_of(a, here) >= below) continue;
                    stays_.v = a;
                    stays_.seq = here;
                    moved_.v = w;
                    moved_.seq = there;
                    if (pl_.refresh(stays_) && pl_.refresh(moved_)) return true;
                }
            }
        }
        return shared(ra, a, unused, below);
    }

    // A short route's requests shared between a and an unused vehicle in every way, the
    // part that moves rebuilt there request by request (its order may not run or not pay
    // on the other vehicle), the part that stays in its order: riders of the two parts
    // may ride together now, so the route need not be empty where it is cut.
    bool shared(const Route& ra, int a, const std::vector<int>& unused, double below) {
        if (!is_short(ra)) return false;
        requests_.clear();
        for (int node : ra.seq)
            if (is_pickup(node)) requests_.push_back(request_of(node));
        const int k = static_cast<int>(requests_.size());
        const auto moves = [&](int mask, int node) {
            const int i = static_cast<int>(
                std::find(requests_.begin(), requests_.end(), request_of(node)) - requests_.begin());
            return (mask >> i & 1) != 0;
        };
        for (int mask = 1; mask + 1 < (1 << k); ++mask) {
            part_.seq.clear();
            head_.clear();
            for (int node : ra.seq) (moves(mask, node) ? part_.seq : head_).push_back(node);
            const double here = pl_.cost_of(a, head_, true);
            if (here >= below) continue;
            for (int w : unused) {
                moved_.v = w;
                pl_.clear(moved_);
                if (!pl_.insert_all(moved_, part_) || here + moved_.cost() >= below) continue;
                stays_.v = a;
                stays_.seq = head_;
                if (pl_.refresh(stays_)) return true;
            }
        }
        return false;
    }

    const Instance& in_;
    Planner& pl_;
    std::vector<std::vector<int>> certified_;  // each route's stops when the last descent ended
    std::vector<int> head_, tail_, requests_;
    Route stays_, moved_, part_;  // part_: the stops of the requests that move, for insert_all
};

}  // namespace samfard
