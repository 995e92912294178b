// Guided ejection search (Nagata & Kobayashi 2010, for pickup and delivery with time
// windows): bring the requests a plan leaves out into it when the fleet only just suffices.
//
// Destroy-and-repair ranks plans by cost, and a plan that leaves one request out is often
// cheaper in routes than any complete one near it, so on a tight fleet the search can stay
// on incomplete plans until its time is up. This search ignores cost and counts only who
// is carried. It takes a request from the pool of those left out; if it fits nowhere, it
// goes in where it costs the fewest and least troublesome ejections (up to two requests
// from the route it enters, weighed by how often each has failed to fit, so the same
// requests are not ejected round and round), and the ejected go to the pool. A few random
// relocations after each ejection keep it from cycling, and every request of the pool
// that fits after them goes in at once (one request ejected can make room for two).
// When the fleet cannot carry everyone, the pool never empties, and the plan that left the
// fewest out on the way is the one kept. Every route it keeps is scheduled and checked
// as in the main search, so its plans are feasible throughout.
#pragma once

#include <algorithm>
#include <cstdint>
#include <limits>
#include <random>
#include <utility>
#include <vector>

#include "instance.hpp"
#include "plan.hpp"

namespace samfard {

class Ejection {
public:
    Ejection(const Instance& in, Planner& pl, std::mt19937_64& rng)
        : in_(in), pl_(pl), rng_(rng), weight_(in.nreq(), 1), alone_(in.nreq(), -1) {}

    // Work on `routes` (with `route_of` kept in step) until the requests of `pool` (left
    // out of them, each one a vehicle can carry alone) and those ejected on the way are in,
    // `steps` insertions have been made, `stop()` says so, or the pool has grown by
    // kMaxGrowth; true in the last case. When the pool is not emptied, `routes` end as
    // the plan that left the fewest out on the way, if that is fewer than at the start:
    // on a day whose fleet cannot carry everyone, carrying two requests instead of the
    // one that blocked them is the most the search can give.
    template <class Stop>
    bool run(std::vector<Route>& routes, std::vector<int>& route_of, std::vector<int> pool,
             int64_t steps, Stop&& stop) {
        std::shuffle(pool.begin(), pool.end(), rng_);
        const size_t give_up = pool.size() + kMaxGrowth;
        size_t fewest = pool.size();
        std::vector<Route> fewest_routes;
        std::vector<int> fewest_route_of;
        for (int64_t step = 0; step < steps && !pool.empty() && pool.size() <= give_up; ++step) {
            if (stop()) break;
            const int q = pool.back();
            pool.pop_back();
            if (!insert_anywhere(routes, route_of, q)) {
                ++weight_[q];
                if (!insert_ejecting(routes, route_of, q, pool)) pool.insert(pool.begin(), q);
                perturb(routes, route_of);
                // The routes changed: whoever of the pool fits now goes in at once.
                pool.erase(std::remove_if(pool.begin(), pool.end(),
                                          [&](int x) { return insert_anywhere(routes, route_of, x); }),
                           pool.end());
            }
            if (!pool.empty() && pool.size() < fewest) {
                fewest = pool.size();
                fewest_routes = routes;
                fewest_route_of = route_of;
            }
        }
        const bool overgrown = pool.size() > give_up;
        if (!pool.empty() && !fewest_routes.empty()) {
            routes = std::move(fewest_routes);
            route_of = std::move(fewest_route_of);
        }
        return overgrown;
    }

    // Can some vehicle carry `q` with nobody else on board? Requests none can stay out of
    // the pool: no ejection would make room for them.
    bool carried_alone(int q) {
        if (alone_[q] < 0) {
            alone_[q] = 0;
            Route probe;
            probe.seq = {2 * q, 2 * q + 1};
            for (int v = 0; v < in_.nveh() && !alone_[q]; ++v) {
                if (!in_.ok(q, v)) continue;
                probe.v = v;
                alone_[q] = pl_.refresh(probe) ? 1 : 0;
            }
        }
        return alone_[q] != 0;
    }

private:
    bool insert_anywhere(std::vector<Route>& routes, std::vector<int>& route_of, int q) {
        const auto [v, ins] = cheapest_place(pl_, routes, insertion_candidates(in_, routes), q);
        if (v < 0 || !pl_.apply(routes[v], q, ins)) return false;
        route_of[q] = v;
        return true;
    }

    // Insert `q` where the ejected requests weigh least (ties broken at random); the
    // ejected go to the pool.
    //
    // When the plan already uses every vehicle it may (`Instance::max_vehicles`), a
    // request that only an unused vehicle can carry fits no route, whatever is ejected
    // from it. It then may also take the place of a whole route, weighed as all its
    // requests ejected: that route is emptied and `q` rides alone in an unused vehicle.
    // Without this a plan allowed one vehicle kept it on the trips it held first, though
    // another vehicle could carry more of the trips left out.
    bool insert_ejecting(std::vector<Route>& routes, std::vector<int>& route_of, int q,
                         std::vector<int>& pool) {
        int best_weight = std::numeric_limits<int>::max(), ties = 0;
        Route probe, chosen;
        Insertion chosen_ins;
        int chosen_a = -1, chosen_b = -1, chosen_emptied = -1;
        // `ins`: q's cheapest place in `probe`.
        auto consider = [&](int weight, int a, int b, int emptied_v, const Insertion& ins) {
            if (!ins.found()) return;
            if (weight < best_weight) {
                best_weight = weight;
                ties = 0;
            }
            if (std::uniform_int_distribution<int>(0, ties++)(rng_) != 0) return;
            chosen = probe;
            chosen_ins = ins;
            chosen_a = a;
            chosen_b = b;
            chosen_emptied = emptied_v;
        };
        // q alone in each unused vehicle that carries it, whichever route is given up.
        const std::vector<std::pair<int, Insertion>> free_vs =
            vehicles_at_limit(routes) ? unused_vehicles_for(routes, q)
                                      : std::vector<std::pair<int, Insertion>>{};
        std::vector<int> members;
        for (const Route& r : routes) {
            if (r.empty() || !in_.ok(q, r.v)) continue;
            members.clear();
            for (int node : r.seq)
                if (is_pickup(node)) members.push_back(request_of(node));
            const int m = static_cast<int>(members.size());
            for (int i = 0; i < m; ++i) {
                const int a = members[i];
                if (weight_[a] <= best_weight && pl_.without(r, a, -1, probe))
                    consider(weight_[a], a, -1, -1, pl_.best_insertion(probe, q));
                for (int j = i + 1; j < m; ++j) {
                    const int b = members[j];
                    const int w = weight_[a] + weight_[b];
                    if (w <= best_weight && pl_.without(r, a, b, probe))
                        consider(w, a, b, -1, pl_.best_insertion(probe, q));
                }
            }
        }
        for (const Route& r : routes) {
            if (free_vs.empty()) break;
            if (r.empty()) continue;
            int w = 0;
            for (int node : r.seq)
                if (is_pickup(node)) w += weight_[request_of(node)];
            if (w > best_weight) continue;
            for (const auto& [free_v, ins] : free_vs) {
                probe = routes[free_v];
                consider(w, -1, -1, r.v, ins);
            }
        }
        if (ties == 0 || !pl_.apply(chosen, q, chosen_ins)) return false;
        if (chosen_emptied >= 0) {
            for (int node : routes[chosen_emptied].seq) {
                if (!is_pickup(node)) continue;
                route_of[request_of(node)] = -1;
                pool.push_back(request_of(node));
            }
            pl_.clear(routes[chosen_emptied]);
        }
        const int v = chosen.v;
        routes[v] = std::move(chosen);
        route_of[q] = v;
        for (int x : {chosen_a, chosen_b}) {
            if (x < 0) continue;
            route_of[x] = -1;
            pool.push_back(x);
        }
        return true;
    }

    // Whether the routes use every vehicle the plan may use.
    bool vehicles_at_limit(const std::vector<Route>& routes) const {
        int used = 0;
        for (const Route& r : routes) used += r.empty() ? 0 : 1;
        return used >= in_.max_vehicles;
    }

    // The unused vehicles that can carry `q` alone, one of each class, with q's place in
    // each.
    std::vector<std::pair<int, Insertion>> unused_vehicles_for(const std::vector<Route>& routes, int q) {
        std::vector<std::pair<int, Insertion>> out;
        for (int v : unused_by_class(in_, routes)) {
            if (!in_.ok(q, v)) continue;
            const Insertion ins = pl_.best_insertion(routes[v], q);
            if (ins.found()) out.emplace_back(v, ins);
        }
        return out;
    }

    // A few random relocations that keep everyone carried: a request leaves its route for
    // the cheapest place in another route drawn at random, if it fits there.
    void perturb(std::vector<Route>& routes, std::vector<int>& route_of) {
        std::vector<int> served;
        for (int q = 0; q < in_.nreq(); ++q)
            if (route_of[q] >= 0) served.push_back(q);
        if (served.empty()) return;
        Route probe;
        for (int k = 0; k < kRelocations; ++k) {
            const int q = served[std::uniform_int_distribution<size_t>(0, served.size() - 1)(rng_)];
            const int from = route_of[q];
            if (from < 0 || !pl_.without(routes[from], q, -1, probe)) continue;
            std::vector<int> order = insertion_candidates(in_, routes);
            std::shuffle(order.begin(), order.end(), rng_);
            for (int v : order) {
                if (v == from) continue;
                const Insertion ins = pl_.best_insertion(routes[v], q);
                if (!ins.found() || !pl_.apply(routes[v], q, ins)) continue;
                routes[from] = probe;
                route_of[q] = v;
                break;
            }
        }
    }

    static constexpr int kRelocations = 10;
    // A pool grown by this many more than it started with is a chain going nowhere (on a
    // plan whose left-out request no rearrangement of the routes can carry, it grows
    // without end).
    static constexpr size_t kMaxGrowth = 20;

    const Instance& in_;
    Planner& pl_;
    std::mt19937_64& rng_;
    std::vector<int> weight_;      // per request: 1 + how often it fitted nowhere
    std::vector<int8_t> alone_;    // per request: -1 unknown, 0 no vehicle carries it alone
};

}  // namespace samfard
