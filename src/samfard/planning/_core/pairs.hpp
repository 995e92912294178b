// Pair relocate and pair exchange between routes: a descent over whole requests.
//
// A request is a pair of stops, its pickup and its drop-off. Relocate takes one request out
// of its route and puts it where it is cheapest in another; exchange takes a out of route A
// and b out of route B and puts each where it is cheapest in the other's route. Destroy and
// repair reach these moves only when the random choice of what to remove happens to take
// exactly those requests and the repair happens to put them there; the descent tries every
// one among granular neighbours. It runs on every new best plan (Search::polish), so the
// plan the search keeps is a local optimum of both moves.
//
// Only a request's granular neighbours are tried as partners, and their routes as targets,
// so a pass costs the requests times the neighbours. A route pair that has not changed since
// the last descent ended holds no cheaper move, so a descent looks only at pairs of which one
// route differs from what the last descent left (`certified_`).
#pragma once

#include <cstdint>
#include <vector>

#include "instance.hpp"
#include "plan.hpp"

namespace samfard {

class PairMoves {
public:
    // `neighbours`: each request's granular neighbours (Search::neighbour_lists).
    PairMoves(const Instance& in, Planner& pl, const std::vector<std::vector<int>>& neighbours)
        : in_(in), pl_(pl), neighbours_(neighbours) {}

    // First-improvement descent until no relocate or exchange among neighbours lowers the
    // cost, or `stop()`. True when a move was made. `touch(v)` is called before route v
    // changes.
    template <class Touch, class Stop>
    bool descend(std::vector<Route>& routes, std::vector<int>& route_of, Touch&& touch, Stop&& stop) {
        const int nv = static_cast<int>(routes.size());
        const int nr = in_.nreq();
        // On the first call no route is certified ({-1} is no route's sequence).
        if (static_cast<int>(certified_.size()) != nv) certified_.assign(nv, {{-1}});
        dirty_.assign(nv, 0);
        for (int v = 0; v < nv; ++v) dirty_[v] = routes[v].seq != certified_[v];
        version_.assign(nv, 0);
        rest_.resize(nr);
        rest_version_.assign(nr, -1);
        rest_ok_.assign(nr, 0);
        int64_t clock = 0;
        bool moved_any = false;
        bool again = true;
        while (again) {
            again = false;
            std::vector<char> next(nv, 0);
            for (int a = 0; a < nr; ++a) {
                if (stop()) return moved_any;
                const int A = route_of[a];
                if (A < 0) continue;
                const Route* wa = rest(routes, a, A);
                if (wa == nullptr) continue;
                int B = -1;
                if (!relocate(routes, route_of, a, A, *wa, B) && !exchange(routes, route_of, a, A, *wa, B))
                    continue;
                install_pair(routes, route_of, A, std::move(new_a_), B, std::move(new_b_), touch);
                version_[A] = ++clock;
                version_[B] = ++clock;
                dirty_[A] = dirty_[B] = next[A] = next[B] = 1;
                again = moved_any = true;
            }
            dirty_ = std::move(next);
        }
        for (int v = 0; v < nv; ++v) certified_[v] = routes[v].seq;
        return moved_any;
    }

private:
    static constexpr double kGain = 1e-6;  // a move must save at least this much

    // Route A without request a, scheduled with its caches (nullptr: it cannot be), kept
    // until A changes (a request that moves lands in a route whose version is new).
    const Route* rest(const std::vector<Route>& routes, int a, int A) {
        if (rest_version_[a] != version_[A]) {
            rest_ok_[a] = pl_.without(routes[A], a, -1, rest_[a]);
            rest_version_[a] = version_[A];
        }
        return rest_ok_[a] ? &rest_[a] : nullptr;
    }

    // Move a to the neighbours' route where it is cheapest, if that saves: into new_a_
    // (A without a) and new_b_ (B with a), B set.
    bool relocate(const std::vector<Route>& routes, const std::vector<int>& route_of, int a, int A, const Route& wa,
                  int& B) {
        const double gain = routes[A].cost() - wa.cost();
        targets_.clear();
        for (int b : neighbours_[a]) {
            const int v = route_of[b];
            if (v < 0 || v == A || !(dirty_[A] || dirty_[v])) continue;
            bool seen = false;
            for (int t : targets_) seen = seen || t == v;
            if (!seen) targets_.push_back(v);
        }
        for (int v : targets_) {
            const Insertion ins = pl_.best_insertion(routes[v], a, gain - kGain);
            if (!ins.found()) continue;
            new_b_ = routes[v];
            if (!pl_.apply(new_b_, a, ins)) continue;
            new_a_ = wa;
            B = v;
            return true;
        }
        return false;
    }

    // Swap a with a neighbour b of another route, each where it is cheapest in the other's
    // route, if that saves: into new_a_ (A without a, with b) and new_b_, B set.
    bool exchange(const std::vector<Route>& routes, const std::vector<int>& route_of, int a, int A, const Route& wa,
                  int& B) {
        for (int b : neighbours_[a]) {
            const int v = route_of[b];
            if (v < 0 || v == A || !(dirty_[A] || dirty_[v])) continue;
            const Route* wb = rest(routes, b, v);
            if (wb == nullptr) continue;
            const double budget = routes[A].cost() + routes[v].cost() - wa.cost() - wb->cost() - kGain;
            const Insertion into_a = pl_.best_insertion(wa, b, budget);
            if (!into_a.found()) continue;
            const Insertion into_b = pl_.best_insertion(*wb, a, budget - into_a.delta);
            if (!into_b.found()) continue;
            new_a_ = wa;
            new_b_ = *wb;
            if (!pl_.apply(new_a_, b, into_a) || !pl_.apply(new_b_, a, into_b)) continue;
            B = v;
            return true;
        }
        return false;
    }

    const Instance& in_;
    Planner& pl_;
    const std::vector<std::vector<int>>& neighbours_;
    std::vector<std::vector<int>> certified_;  // each route as the last descent left it
    std::vector<char> dirty_;                  // routes changed since they were last certified
    std::vector<int64_t> version_;             // per route: bumped when a move changes it
    std::vector<Route> rest_;                  // per request: its route without it
    std::vector<int64_t> rest_version_;
    std::vector<char> rest_ok_;
    std::vector<int> targets_;
    Route new_a_, new_b_;
};

}  // namespace samfard
