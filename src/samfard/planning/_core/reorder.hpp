// Requests moved within their own route: relocate (a request taken out and put back where
// it is cheapest in the same route) and swap (two requests of a route trade places, the
// pickup of each where the other's was, and the drop-off too).
//
// Pair relocate and exchange (pairs.hpp) move requests between routes, and destroy and
// repair puts requests back one at a time, each where it is cheapest with the others
// still out. Neither reaches an order in which two requests trade places: the first put
// back takes its best place among the stops left, which is not the other's. On random
// problems a route of four requests was kept 13 % dearer than the same four in another
// order through 20 000 iterations, on every seed (seed 386). The search runs this descent
// once, on the plan it returns (Search::finish). A swap is one schedule; a route is tried
// only when it changed since the last descent ended (`certified_`).
#pragma once

#include <utility>
#include <vector>

#include "instance.hpp"
#include "plan.hpp"

namespace samfard {

class Reorder {
public:
    explicit Reorder(Planner& pl) : pl_(pl) {}

    // Each route changed since the last descent taken down until neither move saves, or
    // until `stop()`. True when a move was made. `touch(v)` is called before route v
    // changes. A move changes its own route alone, so one pass over the routes suffices.
    template <class Touch, class Stop>
    bool descend(std::vector<Route>& routes, Touch&& touch, Stop&& stop) {
        const int nv = static_cast<int>(routes.size());
        if (static_cast<int>(certified_.size()) != nv) certified_.assign(nv, {-1});
        bool moved_any = false;
        for (int v = 0; v < nv; ++v) {
            if (routes[v].empty() || routes[v].seq == certified_[v]) continue;
            if (stop()) return moved_any;
            while (relocate(routes[v]) || swap(routes[v])) {
                touch(v);
                routes[v] = std::move(better_);
                moved_any = true;
            }
            certified_[v] = routes[v].seq;
        }
        return moved_any;
    }

private:
    static constexpr double kGain = 1e-6;  // a move must save at least this much

    // A request of `r` put back where it is cheapest in the rest, if that saves: into better_.
    bool relocate(const Route& r) {
        for (int node : r.seq) {
            if (!is_pickup(node)) continue;
            const int a = request_of(node);
            if (!pl_.without(r, a, -1, rest_)) continue;
            const Insertion ins = pl_.best_insertion(rest_, a, r.cost() - rest_.cost() - kGain);
            if (!ins.found()) continue;
            better_ = rest_;
            if (pl_.apply(better_, a, ins) && better_.cost() < r.cost() - kGain) return true;
        }
        return false;
    }

    // Two requests of `r` trading places, if that saves: into better_.
    bool swap(const Route& r) {
        const int m = static_cast<int>(r.seq.size());
        // Where each request's pickup and drop-off stand, in the order of the pickups.
        places_.clear();
        for (int p = 0; p < m; ++p) {
            if (!is_pickup(r.seq[p])) continue;
            int d = p + 1;
            while (r.seq[d] != r.seq[p] + 1) ++d;
            places_.emplace_back(p, d);
        }
        const int k = static_cast<int>(places_.size());
        for (int i = 0; i < k; ++i) {
            for (int j = i + 1; j < k; ++j) {
                seq_ = r.seq;
                std::swap(seq_[places_[i].first], seq_[places_[j].first]);
                std::swap(seq_[places_[i].second], seq_[places_[j].second]);
                if (pl_.cost_of(r.v, seq_) >= r.cost() - kGain) continue;
                better_.v = r.v;
                better_.seq = seq_;
                if (pl_.refresh(better_)) return true;
            }
        }
        return false;
    }

    Planner& pl_;
    std::vector<std::vector<int>> certified_;  // each route's stops when the last descent ended
    std::vector<std::pair<int, int>> places_;  // per request of the route: pickup, drop-off
    std::vector<int> seq_;
    Route rest_, better_;
};

}  // namespace samfard
