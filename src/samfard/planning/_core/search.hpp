// Adaptive large neighbourhood search (Ropke & Pisinger 2006) over the plan.
//
// Each iteration removes some requests, fewer as the run cools (random, worst, related
// (Shaw), string removal from neighbouring routes (SISR, Christiaens & Vanden Berghe
// 2020), a whole route, or those next to stops they never sat next to in a good plan
// (historical node-pair removal)) and puts them back (greedy or regret-k insertion, with or
// without noise), then exchanges route tails where vehicles are empty until no exchange
// is cheaper (tails.hpp); the operators are drawn by adaptive roulette weights and the
// new plan is accepted by simulated annealing; a new best plan is first taken down to a
// local optimum of pair relocate and exchange (pairs.hpp), whole routes to other vehicles
// (vehicles.hpp) and two routes run as one (merge.hpp), and the plan returned to one of
// the moves within a route and of a route cut in two as well (reorder.hpp, split.hpp).
// Requests that fit nowhere stay unassigned at a penalty far above any route's cost, so
// the search first carries everyone it can, then makes it cheap; when the fleet only just
// suffices, an ejection search (ejection.hpp) run at a few points brings in those it
// still leaves out. Once the last ejection search is behind it, every left-out request
// weighs the same, so the rest of the run makes the plan cheap whichever it leaves out
// (flatten_penalties). The plan returned is, of those accepted, one that carries the most
// and, among those, costs the least (keep_if_cheapest_of_the_most).
// With an iteration limit the run is fully determined by the seed (the temperature follows
// the iteration count); the wall-time deadline only ever stops it early.
#pragma once

#include <algorithm>
#include <chrono>
#include <cmath>
#include <cstdint>
#include <ctime>
#include <iterator>
#include <limits>
#include <numeric>
#include <random>
#include <utility>
#include <vector>

#include "ejection.hpp"
#include "instance.hpp"
#include "merge.hpp"
#include "neighbours.hpp"
#include "pairs.hpp"
#include "plan.hpp"
#include "reorder.hpp"
#include "split.hpp"
#include "tails.hpp"
#include "vehicles.hpp"

namespace samfard {

struct Settings {
    uint64_t seed = 0;
    int64_t iterations = -1;   // < 0: until the deadline
    double seconds = 10.0;     // time for this call: wall clock, or this thread's CPU time
    bool cpu_clock = false;    // count `seconds` in CPU time (what a dedicated core would give)
    int neighbours = 40;       // granular neighbour list length per request
    int max_remove = 60;       // upper bound on requests removed per iteration, at the start
    double start_worse = 0.03; // a plan this much worse is accepted with probability 1/2 at first
    double end_ratio = 0.01;   // final temperature over the starting one
};

struct Stats {
    int64_t iterations = 0;
    int64_t improvements = 0;
    double seconds = 0.0;
};

class Search {
    using Clock = std::chrono::steady_clock;

public:
    Search(const Instance& in, const Settings& settings)
        : in_(in), st_(settings), pl_(in), rng_(settings.seed), ejection_(in, pl_, rng_),
          tails_(in, pl_, neighbours_), pairs_(in, pl_, neighbours_), swaps_(in, pl_),
          merges_(in, pl_, neighbours_), splits_(in, pl_), reorder_(pl_) {
        start_ = Clock::now();
        cpu_start_ = thread_cpu();
        limit_ = std::max(0.0, settings.seconds);
        const int nv = in.nveh();
        routes_.resize(nv);
        for (int v = 0; v < nv; ++v) {
            routes_[v].v = v;
            pl_.refresh(routes_[v]);
        }
        route_of_.assign(in.nreq(), -1);
        changed_.assign(nv, 1);
        penalties();
        neighbours_ = granular_neighbours(in, settings.neighbours);
        const size_t stops = 2 * static_cast<size_t>(in.nreq()) + 1;
        if (stops * stops <= kHistoryCells)
            history_.assign(stops * stops, std::numeric_limits<float>::infinity());
    }

    // Start from given routes (vehicle, node sequence); infeasible ones are dropped.
    void seed_routes(const std::vector<std::pair<int, std::vector<int>>>& given) {
        for (const auto& [v, seq] : given) {
            if (v < 0 || v >= in_.nveh() || !routes_[v].empty() || seq.empty()) continue;
            if (used() >= in_.max_vehicles) break;
            bool fresh = true;
            for (int node : seq) {
                if (node < 0 || node >= 2 * in_.nreq() || route_of_[request_of(node)] >= 0) fresh = false;
            }
            if (!fresh) continue;
            Route& r = routes_[v];
            r.seq = seq;
            if (!pl_.refresh(r)) {
                r.seq.clear();
                pl_.refresh(r);
                continue;
            }
            for (int node : seq) route_of_[request_of(node)] = v;
        }
    }

    Stats run() {
        construct();
        exchange_tails();
        polish();
        keep_as_best();
        double current = objective();
        double best = current;
        remember_arcs(current);
        const double t0 = start_temperature();
        const int n_destroy = 6, n_repair = 4;
        std::vector<double> wd(n_destroy, 1.0), wr(n_repair, 1.0);
        if (history_.empty()) wd[5] = 0.0;  // too many stops to keep a table of arcs
        std::vector<double> sd(n_destroy, 0.0), sr(n_repair, 0.0);
        std::vector<int> ud(n_destroy, 0), ur(n_repair, 0);
        Stats stats;
        std::uniform_real_distribution<double> unit(0.0, 1.0);
        const int served_total = in_.nreq();
        int64_t it = 0;
        size_t next_check = 0;
        while (served_total > 0) {
            if (st_.iterations >= 0 && it >= st_.iterations) break;
            if (out_of_time()) break;
            // Share of the run behind it, in [0, 1]: the temperature and the removal size
            // follow it.
            const double progress = std::min(
                1.0, st_.iterations > 0 ? static_cast<double>(it) / static_cast<double>(st_.iterations)
                                        : elapsed_fraction());
            if (next_check < std::size(kEjectionChecks) && progress >= kEjectionChecks[next_check]) {
                ++next_check;
                if (bring_in_left_out(best)) {
                    std::fill(changed_.begin(), changed_.end(), 1);
                    polish();
                    current = best = objective();
                    keep_as_best();
                }
                if (next_check == std::size(kEjectionChecks)) {
                    flatten_penalties();
                    current = objective();
                    best = objective_of(best_routes_, best_route_of_);
                }
            }
            const double temperature = t0 * std::pow(st_.end_ratio, progress);
            const int d = roulette(wd), r = roulette(wr);
            begin_move();
            const int q = removal_count(progress);
            switch (d) {
                case 0: remove_random(q); break;
                case 1: remove_worst(q); break;
                case 2: remove_related(q); break;
                case 3: remove_strings(q); break;
                case 4: remove_route(q); break;
                default: remove_historical(q); break;
            }
            switch (r) {
                case 0: repair(1, false); break;
                case 1: repair(1, true); break;
                case 2: repair(2, false); break;
                default: repair(3, false); break;
            }
            exchange_tails();
            double candidate = objective();
            remember_arcs(candidate);
            double score = 0.0;
            if (candidate < best - 1e-9) {
                polish();
                candidate = objective();
                best = candidate;
                keep_as_best();
                score = 33.0;
                ++stats.improvements;
                current = candidate;
            } else if (candidate < current - 1e-9) {
                score = 9.0;
                current = candidate;
                keep_if_cheapest_of_the_most();
            } else if (candidate <= current + 1e-9 ||
                       unit(rng_) < std::exp(-(candidate - current) / temperature)) {
                score = candidate <= current + 1e-9 ? 0.0 : 13.0;
                current = candidate;
                keep_if_cheapest_of_the_most();
            } else {
                undo_move();
            }
            sd[d] += score;
            sr[r] += score;
            ++ud[d];
            ++ur[r];
            ++it;
            if (it % 100 == 0) {
                adapt(wd, sd, ud);
                adapt(wr, sr, ur);
            }
        }
        routes_ = priced_routes_;
        route_of_ = priced_route_of_;
        finish();
        stats.iterations = it;
        stats.seconds = std::chrono::duration<double>(Clock::now() - start_).count();
        return stats;
    }

    const std::vector<Route>& routes() const { return routes_; }
    const std::vector<int>& route_of() const { return route_of_; }
    bool out_of_time() const { return elapsed() >= limit_; }

private:
    // The current plan becomes the best one, which the acceptance and the ejection search
    // measure against.
    void keep_as_best() {
        best_routes_ = routes_;
        best_route_of_ = route_of_;
        keep_if_cheapest_of_the_most();
    }

    // The plan the search returns: of the plans it has accepted, one that carries the most
    // requests and, among those, costs the least (the objective's routes, as the verifier
    // prices the plan). The objective's penalty weighs a left-out request by its cost alone
    // until the last ejection search (penalties()), and a plan it prefers may carry as many
    // for more: on a region of 1 948 trips at 2 000 iterations the best plan by the
    // objective, from the first 100 iterations, cost 92.1 million where the last plan the
    // search accepted, carrying as many, cost 89.9 (2026-12-05). Until 2026-12-06 the
    // left-out requests' costs alone were added to the price here (what the region would
    // pay to carry them apart); that kept plans up to twice as dear as OR-Tools' with as
    // many carried (docs/planning.md, Search).
    void keep_if_cheapest_of_the_most() {
        int carried = 0;
        for (int q = 0; q < in_.nreq(); ++q) carried += route_of_[q] >= 0;
        const double price = served_cost(routes_);
        if (carried < priced_carried_ || (carried == priced_carried_ && price >= priced_price_ - 1e-9)) return;
        priced_routes_ = routes_;
        priced_route_of_ = route_of_;
        priced_carried_ = carried;
        priced_price_ = price;
    }

    // ---- feasibility --------------------------------------------------------------------
    // When the search has each of these shares of its iterations or time behind it and the
    // best plan still leaves out a request some vehicle could carry alone, the ejection
    // search (ejection.hpp) tries, from the best plan, to bring it in: for at most
    // kEjectionShare of the time and kEjectionSteps insertions per request of the problem,
    // or, with an iteration limit, a tenth of that limit in insertions and no clock. On a
    // plan that carries everyone it never runs, so it costs such searches nothing.
    static constexpr double kEjectionChecks[] = {0.02, 0.2, 0.45};
    static constexpr double kEjectionShare = 0.05;
    static constexpr int64_t kEjectionSteps = 20;

    // True when the plan the ejection search found is better than `best`; it is then the
    // current plan. A try whose pool grew out of bounds is not made again for the same
    // left-out requests (a day whose left-out trip nothing carries would pay for every try).
    bool bring_in_left_out(double best) {
        std::vector<int> missing;
        for (int q = 0; q < in_.nreq(); ++q)
            if (best_route_of_[q] < 0 && ejection_.carried_alone(q)) missing.push_back(q);
        if (missing.empty() || missing == hopeless_) return false;
        std::vector<Route> routes = best_routes_;
        std::vector<int> route_of = best_route_of_;
        // With an iteration limit only the steps bound it, so the seed fixes the plan.
        const double until = st_.iterations >= 0 ? kInf : elapsed() + kEjectionShare * limit_;
        int64_t steps = kEjectionSteps * in_.nreq();
        if (st_.iterations >= 0) steps = std::min(steps, std::max<int64_t>(1, st_.iterations / 10));
        const bool overgrown = ejection_.run(routes, route_of, missing, steps, [&] {
            return out_of_time() || elapsed() >= until;
        });
        std::swap(routes, routes_);
        std::swap(route_of, route_of_);
        if (objective() < best - 1e-9) return true;
        std::swap(routes, routes_);
        std::swap(route_of, route_of_);
        if (overgrown) hopeless_ = std::move(missing);
        return false;
    }

    // ---- objective ----------------------------------------------------------------------
    // A request left out costs 1000 + 100 x (the dearest request's cost alone + its own).
    // The part shared by every request puts the number carried first: leaving one more out
    // costs more than any difference between two requests' own parts, and far more than
    // carrying one more adds to the routes, so the search carries everyone it can, then
    // makes it cheap. Weighed by its own cost alone only, one long trip would outweigh two
    // short ones, and the search would leave two travellers without a ride to carry one.
    // The own part leaves out, among as many, the requests cheapest to carry alone: on
    // gn-96 (tests/planning/data), whose fleet only just suffices, the ejection search
    // then brings them in more often (of 20 seeds at 4 000 iterations, 11 carried everyone
    // with the own part weighed 100 times, 8 with it weighed once). So it is kept while an
    // ejection search is still to come, and dropped after the last (flatten_penalties).
    // The cost alone is priced as the objective prices it (`Instance::arc`: fees, and no
    // depot legs or empty drives for a vehicle that does not pay for them).
    void penalties() {
        const int nr = in_.nreq();
        std::vector<double> alone(nr, 0.0);
        for (int q = 0; q < nr; ++q) {
            for (int v = 0; v < in_.nveh(); ++v) {
                if (!in_.ok(q, v)) continue;
                const int p = in_.loc[2 * q], d = in_.loc[2 * q + 1];
                const double ps = in_.service[2 * q], ds = in_.service[2 * q + 1];
                const double dur = in_.t(in_.start[v], p) + ps + in_.t(p, d) + ds + in_.t(d, in_.end[v]);
                const double arcs = in_.arc(v, in_.start[v], p, 0.0, true, false, true, false) +
                                    in_.arc(v, p, d, ps, false, false, false, true) +
                                    in_.arc(v, d, in_.end[v], ds, false, true, false, false);
                alone[q] = std::max(alone[q], arcs + in_.cost_time[v] * dur + in_.cost_fixed[v]);
            }
        }
        dearest_ = nr > 0 ? *std::max_element(alone.begin(), alone.end()) : 0.0;
        penalty_.resize(nr);
        for (int q = 0; q < nr; ++q) penalty_[q] = 1000.0 + 100.0 * (dearest_ + alone[q]);
    }

    // Every left-out request weighs the same from here on: the search then compares plans
    // that leave out as many by their routes alone, as the plan returned is chosen, and
    // trades a request left out for one carried where that makes the routes cheaper. With
    // the own part kept to the end, a plan leaving out a request dear to carry alone
    // weighed 100 times that cost more than one leaving out a cheap one, so the search
    // never took it, however much cheaper its routes: on random problems whose fleet
    // cannot carry everyone, plans cost up to 119 % more than OR-Tools' with as many
    // carried (2026-12-06, docs/planning.md, Search).
    void flatten_penalties() {
        std::fill(penalty_.begin(), penalty_.end(), 1000.0 + 200.0 * dearest_);
    }

    double served_cost(const std::vector<Route>& routes) const {
        double c = 0.0;
        for (const Route& r : routes)
            if (!r.empty()) c += r.cost();
        return c;
    }
    double served_cost() const { return served_cost(routes_); }

    double objective_of(const std::vector<Route>& routes, const std::vector<int>& route_of) const {
        double c = served_cost(routes);
        for (int q = 0; q < in_.nreq(); ++q)
            if (route_of[q] < 0) c += penalty_[q];
        return c;
    }
    double objective() const { return objective_of(routes_, route_of_); }

    int used() const {
        int n = 0;
        for (const Route& r : routes_) n += !r.empty();
        return n;
    }

    double elapsed_fraction() const {
        return limit_ > 0 ? elapsed() / limit_ : 1.0;
    }

    // ---- tail exchange ------------------------------------------------------------------
    // Every plan the acceptance sees has had its tails exchanged down to a local optimum
    // (tails.hpp), so the pairs of routes left unchanged since need no second look.
    void exchange_tails() {
        tails_.descend(routes_, route_of_, changed_, [&](int v) { touch(v); });
        std::fill(changed_.begin(), changed_.end(), 0);
    }

    // A new best plan goes down to a local optimum of pair relocate and exchange (pairs.hpp),
    // of the tail exchange, of whole routes to other vehicles (vehicles.hpp) and of two
    // routes run as one (merge.hpp), each again while another changes the plan.
    void polish() { polish_until([&] { return out_of_time(); }); }

    template <class Stop>
    void polish_until(Stop&& stop) {
        const auto touched = [&](int v) { touch(v); };
        while (true) {
            while (pairs_.descend(routes_, route_of_, touched, stop)) exchange_tails();
            const bool swapped = swaps_.descend(routes_, route_of_, touched, stop);
            const bool merged = merges_.descend(routes_, route_of_, touched, stop);
            if (!swapped && !merged) break;
            exchange_tails();
        }
    }

    // The plan the search returns goes down to a local optimum of the moves within a route
    // (reorder.hpp) and of a route cut in two (split.hpp), and of polish again wherever
    // they changed it. Only here, after the clock: on every new best plan they steered the
    // search elsewhere. With the moves within a route the 2003 set came out worse (0.70 %
    // → 0.91 % on seed 1, 0.60 % → 0.93 % on seed 2's first 18 instances); with the cut,
    // a region of 1 948 trips at 2 000 iterations cost 88.11 against 87.10 million on
    // average over 15 seeds, and four runs ended above 89 million against none
    // (2026-12-05). Each move saves, so the descent ends; pr13 at 3 000 iterations took
    // 0.905 s of CPU with the moves within a route against 0.884 s, the whole process.
    void finish() {
        const auto touched = [&](int v) { touch(v); };
        const auto never = [] { return false; };
        polish_until(never);  // the plan kept for the region may be one not yet polished
        while (true) {
            const bool reordered = reorder_.descend(routes_, touched, never);
            const bool split = splits_.descend(routes_, route_of_, touched, never);
            if (!reordered && !split) break;
            polish_until(never);
        }
    }

    // ---- undo log -----------------------------------------------------------------------
    void begin_move() {
        saved_.clear();
        saved_flag_.assign(routes_.size(), 0);
        saved_route_of_ = route_of_;
    }
    void touch(int v) {
        changed_[v] = 1;
        if (saved_flag_[v]) return;
        saved_flag_[v] = 1;
        saved_.emplace_back(v, routes_[v]);
    }
    void undo_move() {
        for (auto& [v, r] : saved_) routes_[v] = std::move(r);
        saved_.clear();
        route_of_ = saved_route_of_;
    }

    // ---- destroy ------------------------------------------------------------------------
    int served_count() const {
        int n = 0;
        for (int v : route_of_) n += v >= 0;
        return n;
    }

    static constexpr double kLateRemoveShare = 0.3;
    static constexpr int kMostRemovedPercent = 40;  // of the served requests, in one destroy step

    // How many requests a destroy step takes out: uniform between a few and an upper end
    // that falls over the run, from max_remove (at most 40 % of the served requests) to
    // kLateRemoveShare of that. Early, while the anneal is hot, large moves rebuild whole
    // hours of several routes; late, small moves refine the plan and cost less each, so
    // the cold end of the run gets more of them (docs/planning.md, Parameters).
    int removal_count(double progress) {
        const int served = served_count();
        if (served == 0) return 0;
        const int top = std::max(1, std::min({st_.max_remove, served, std::max(4, (kMostRemovedPercent * served) / 100)}));
        const double share = 1.0 - (1.0 - kLateRemoveShare) * progress;
        const int hi = std::max(1, static_cast<int>(std::lround(top * share)));
        const int lo = std::min(hi, std::max(1, std::min(4, served / 10 + 1)));
        return std::uniform_int_distribution<int>(lo, hi)(rng_);
    }

    // The anneal's start temperature: a plan start_worse (3 %) dearer is accepted with
    // probability 1/2, measured on the part of the plan the largest destroy step can
    // touch. Up to 150 requests that step takes 40 % of them, so the share is the whole
    // plan's cost, as it was tuned on the 2006 set; beyond, max_remove caps the step and
    // the share shrinks with the plan. Priced on the whole plan, 3 % of a region of 1 890
    // trips is the cost of about 57 requests, as much as a whole step of at most 60 can
    // change: the anneal accepted nearly every move for most of the run and ended 1.5 %
    // dearer (docs/planning-log.md, seventh session of 2026-12-05).
    double start_temperature() const {
        const int served = served_count();
        const double most = kMostRemovedPercent * static_cast<double>(served) / 100.0;
        const double share = most > st_.max_remove ? st_.max_remove / most : 1.0;
        return std::max(1e-9, st_.start_worse * share * std::max(served_cost(), 1e-6)) / std::log(2.0);
    }

    std::vector<int> served_list() const {
        std::vector<int> out;
        for (int q = 0; q < in_.nreq(); ++q)
            if (route_of_[q] >= 0) out.push_back(q);
        return out;
    }

    // Take the requests out of their routes; a route that cannot be scheduled without them
    // (the scheduler may be pessimistic) keeps them.
    void remove(const std::vector<int>& reqs) {
        std::vector<char> gone(in_.nreq(), 0);
        std::vector<int> vs;
        for (int q : reqs) {
            if (route_of_[q] < 0 || gone[q]) continue;
            gone[q] = 1;
            vs.push_back(route_of_[q]);
        }
        std::sort(vs.begin(), vs.end());
        vs.erase(std::unique(vs.begin(), vs.end()), vs.end());
        for (int v : vs) {
            touch(v);
            Route& r = routes_[v];
            std::vector<int> old = r.seq;
            std::vector<int> kept;
            for (int node : old)
                if (!gone[request_of(node)]) kept.push_back(node);
            r.seq = kept;
            if (pl_.refresh(r)) {
                for (int node : old)
                    if (gone[request_of(node)]) route_of_[request_of(node)] = -1;
            } else {
                r.seq = old;
                pl_.refresh(r);
            }
        }
    }

    void remove_random(int q) {
        std::vector<int> served = served_list();
        std::shuffle(served.begin(), served.end(), rng_);
        served.resize(std::min<size_t>(served.size(), q));
        remove(served);
    }

    void remove_worst(int q) {
        std::vector<int> served = served_list();
        if (served.size() > 400) {
            std::shuffle(served.begin(), served.end(), rng_);
            served.resize(400);
        }
        std::vector<std::pair<double, int>> gain;
        for (int r : served) {
            const Route& route = routes_[route_of_[r]];
            const double rest = pl_.cost_without(route, r);
            if (rest == kInf) continue;
            gain.emplace_back(-(route.cost() - rest), r);
        }
        remove(draw_ranked(std::move(gain), q));
    }

    // Up to q requests of `ranked` (key, request), most wanted first once sorted by key,
    // each drawn at a rank skewed toward the front (u^3 of those left), as worst removal
    // draws in Ropke & Pisinger (2006).
    template <class Key>
    std::vector<int> draw_ranked(std::vector<std::pair<Key, int>> ranked, int q) {
        std::sort(ranked.begin(), ranked.end());
        std::vector<int> out;
        std::uniform_real_distribution<double> unit(0.0, 1.0);
        while (static_cast<int>(out.size()) < q && !ranked.empty()) {
            const size_t k = std::min(ranked.size() - 1,
                                      static_cast<size_t>(std::pow(unit(rng_), 3.0) * ranked.size()));
            out.push_back(ranked[k].second);
            ranked.erase(ranked.begin() + static_cast<std::ptrdiff_t>(k));
        }
        return out;
    }

    void remove_related(int q) {
        std::vector<int> served = served_list();
        if (served.empty()) return;
        std::vector<char> picked(in_.nreq(), 0);
        std::vector<int> out{served[std::uniform_int_distribution<size_t>(0, served.size() - 1)(rng_)]};
        picked[out[0]] = 1;
        std::uniform_real_distribution<double> unit(0.0, 1.0);
        int stall = 0;
        while (static_cast<int>(out.size()) < q && stall < 4 * q) {
            const int from = out[std::uniform_int_distribution<size_t>(0, out.size() - 1)(rng_)];
            std::vector<int> cands;
            for (int b : neighbours_[from])
                if (!picked[b] && route_of_[b] >= 0) cands.push_back(b);
            if (cands.empty()) {
                ++stall;
                continue;
            }
            const size_t k = std::min(cands.size() - 1,
                                      static_cast<size_t>(std::pow(unit(rng_), 6.0) * cands.size()));
            picked[cands[k]] = 1;
            out.push_back(cands[k]);
        }
        remove(out);
    }

    // SISR: strings of consecutive stops around the seed's neighbours, one string per route.
    void remove_strings(int q) {
        std::vector<int> served = served_list();
        if (served.empty()) return;
        const int seed = served[std::uniform_int_distribution<size_t>(0, served.size() - 1)(rng_)];
        std::vector<int> order{seed};
        order.insert(order.end(), neighbours_[seed].begin(), neighbours_[seed].end());
        std::vector<char> route_done(routes_.size(), 0), picked(in_.nreq(), 0);
        std::vector<int> out;
        const int max_len = 10;
        for (int a : order) {
            if (static_cast<int>(out.size()) >= q) break;
            const int v = route_of_[a];
            if (v < 0 || route_done[v]) continue;
            route_done[v] = 1;
            const std::vector<int>& seq = routes_[v].seq;
            const int m = static_cast<int>(seq.size());
            const int pos = static_cast<int>(std::find(seq.begin(), seq.end(), 2 * a) - seq.begin());
            const int len = std::uniform_int_distribution<int>(1, std::min(m, max_len))(rng_);
            const int lo_start = std::max(0, pos - len + 1), hi_start = std::min(pos, m - len);
            const int first = std::uniform_int_distribution<int>(lo_start, std::max(lo_start, hi_start))(rng_);
            for (int p = first; p < std::min(m, first + len); ++p) {
                const int r = request_of(seq[p]);
                if (!picked[r]) {
                    picked[r] = 1;
                    out.push_back(r);
                }
            }
        }
        remove(out);
    }

    // ---- history of arcs (Ropke & Pisinger 2006, historical node-pair removal) -----------
    // For each pair of stops, the least objective of any plan the search has weighed (the
    // first plan, and each step's plan before its acceptance) with one right after the
    // other; a route's two ends count as one stop, the depot. A request whose stops sit
    // next to stops they never sat next to in a good plan is out of place, and this removal
    // takes such requests first: a memory of good plans that the anneal's single current
    // plan lacks. The table is (2n + 1)^2 floats, kept only up to kHistoryCells (2^24 cells,
    // 64 MB: up to 2 047 requests); beyond, the removal is not drawn.
    static constexpr size_t kHistoryCells = size_t{1} << 24;

    int history_node(const Route& r, int p) const {
        const int m = static_cast<int>(r.seq.size());
        return p == 0 || p == m + 1 ? 2 * in_.nreq() : r.seq[p - 1];
    }
    float& history(int a, int b) { return history_[static_cast<size_t>(a) * (2 * in_.nreq() + 1) + b]; }

    void remember_arcs(double objective_value) {
        if (history_.empty()) return;
        const float f = static_cast<float>(objective_value);
        for (const Route& r : routes_) {
            if (r.empty()) continue;  // an unused vehicle drives no arc
            const int m = static_cast<int>(r.seq.size());
            for (int p = 0; p <= m; ++p) {
                float& h = history(history_node(r, p), history_node(r, p + 1));
                h = std::min(h, f);
            }
        }
    }

    // A request's score is the sum of the table over the four arcs at its stops: the
    // highest scores go first.
    void remove_historical(int q) {
        std::vector<float> sum(in_.nreq(), 0.0f);
        for (const Route& r : routes_) {
            const int m = static_cast<int>(r.seq.size());
            for (int p = 1; p <= m; ++p) {
                const int node = history_node(r, p);
                sum[request_of(node)] +=
                    history(history_node(r, p - 1), node) + history(node, history_node(r, p + 1));
            }
        }
        std::vector<std::pair<float, int>> ranked;  // (- score, request)
        for (int x = 0; x < in_.nreq(); ++x)
            if (route_of_[x] >= 0) ranked.emplace_back(-sum[x], x);
        remove(draw_ranked(std::move(ranked), q));
    }

    void remove_route(int q) {
        std::vector<int> vs;
        for (const Route& r : routes_)
            if (!r.empty()) vs.push_back(r.v);
        if (vs.empty()) return;
        // Prefer short routes: emptying one saves a vehicle.
        std::sort(vs.begin(), vs.end(), [&](int a, int b) {
            return routes_[a].seq.size() != routes_[b].seq.size()
                       ? routes_[a].seq.size() < routes_[b].seq.size()
                       : a < b;
        });
        std::uniform_real_distribution<double> unit(0.0, 1.0);
        const int v = vs[std::min(vs.size() - 1, static_cast<size_t>(std::pow(unit(rng_), 2.0) * vs.size()))];
        std::vector<int> out;
        for (int node : routes_[v].seq)
            if (is_pickup(node)) out.push_back(request_of(node));
        if (static_cast<int>(out.size()) > std::max(q, 1) * 2) out.resize(std::max(q, 1) * 2);
        remove(out);
    }

    // ---- repair -------------------------------------------------------------------------
    std::vector<int> unassigned() const {
        std::vector<int> out;
        for (int q = 0; q < in_.nreq(); ++q)
            if (route_of_[q] < 0) out.push_back(q);
        return out;
    }

    std::vector<int> candidates() const { return insertion_candidates(in_, routes_); }

    bool insert(int q, int v, const Insertion& ins) {
        touch(v);
        if (!pl_.apply(routes_[v], q, ins)) return false;
        route_of_[q] = v;
        return true;
    }

    // Sequential cheapest insertion in the given order (the first plan, and big pools).
    void insert_in_order(const std::vector<int>& order) {
        for (int q : order) {
            if (out_of_time()) return;
            const auto [v, ins] = cheapest_place(pl_, routes_, candidates(), q);
            if (v >= 0) insert(q, v, ins);
        }
    }

    void construct() {
        std::vector<int> order = unassigned();
        // Earliest pickup first (by its tightened window, neighbours.hpp): routes then grow
        // forward in time.
        std::stable_sort(order.begin(), order.end(), [&](int a, int b) {
            return stop_time(in_, 2 * a) < stop_time(in_, 2 * b);
        });
        saved_flag_.assign(routes_.size(), 1);  // nothing to undo while building
        insert_in_order(order);
    }

    // Regret-k insertion (k = 1: greedy), optionally with noise on the costs.
    //
    // Each request needs the exact cost of its k cheapest routes. Every route first gets
    // only a lower bound (the screen of best_insertion, no schedule); a route is scheduled
    // exactly when its bound does not exceed the k-th cheapest exact cost found, until
    // none does. The k cheapest are then the same as if every route had been scheduled,
    // ties included, so the plan is the same, with far fewer exact schedules: most routes'
    // bounds are well above a request's best places.
    void repair(int k, bool noise) {
        std::vector<int> pool = unassigned();
        if (pool.empty()) return;
        if (pool.size() > 150) {
            std::shuffle(pool.begin(), pool.end(), rng_);
            insert_in_order(pool);
            return;
        }
        const int nv = in_.nveh();
        // Per request and vehicle: the insertion once scheduled (`exact`), else its bound.
        struct Place {
            Insertion ins;
            Bound bound;
            bool exact = false;
        };
        std::vector<Place> cache(pool.size() * static_cast<size_t>(nv));
        std::vector<char> valid(nv, 0);
        std::uniform_real_distribution<double> unit(-1.0, 1.0);
        const double noise_size = noise ? 0.025 * max_arc_cost() : 0.0;
        std::vector<double> jitter(pool.size() * static_cast<size_t>(nv), 0.0);
        if (noise)
            for (double& x : jitter) x = noise_size * unit(rng_);
        std::vector<char> active(pool.size(), 1);
        size_t left = pool.size();
        while (left > 0) {
            if (out_of_time()) return;
            const std::vector<int> cand = candidates();
            for (int v : cand) {
                if (valid[v]) continue;
                for (size_t p = 0; p < pool.size(); ++p) {
                    if (!active[p]) continue;
                    Place& place = cache[p * nv + v];
                    place.bound = pl_.insertion_bound(routes_[v], pool[p]);
                    place.ins = Insertion{};
                    place.exact = place.bound.least == kInf;  // nothing passes the screen: no fit
                }
                valid[v] = 1;
            }
            int pick = -1, pick_v = -1;
            double pick_regret = -kInf, pick_cost = kInf;
            for (size_t p = 0; p < pool.size(); ++p) {
                if (!active[p]) continue;
                double c[3] = {kInf, kInf, kInf};
                int best_v = -1;
                // The k cheapest exact costs over `cand` (first in `cand` on a tie), as if
                // every route had been scheduled.
                auto cheapest = [&] {
                    c[0] = c[1] = c[2] = kInf;
                    best_v = -1;
                    for (int v : cand) {
                        const Place& place = cache[p * nv + v];
                        if (!place.exact || !place.ins.found()) continue;
                        const double x = place.ins.delta + jitter[p * nv + v];
                        if (x < c[0]) {
                            c[2] = c[1];
                            c[1] = c[0];
                            c[0] = x;
                            best_v = v;
                        } else if (x < c[1]) {
                            c[2] = c[1];
                            c[1] = x;
                        } else if (x < c[2]) {
                            c[2] = x;
                        }
                    }
                };
                cheapest();
                while (true) {
                    // The route whose bound is lowest among those not scheduled yet; it
                    // must be scheduled while that bound could still tie the k-th.
                    int next = -1;
                    double next_bound = kInf;
                    for (int v : cand) {
                        const Place& place = cache[p * nv + v];
                        if (place.exact) continue;
                        const double x = place.bound.least + jitter[p * nv + v];
                        if (x < next_bound) {
                            next_bound = x;
                            next = v;
                        }
                    }
                    if (next < 0 || next_bound > c[k - 1] + kBoundSlack) break;
                    Place& place = cache[p * nv + next];
                    place.ins = pl_.best_insertion(routes_[next], pool[p], kInf, &place.bound);
                    place.exact = true;
                    cheapest();
                }
                if (best_v < 0) continue;
                double regret = 0.0;
                for (int h = 1; h < k; ++h) regret += (c[h] == kInf ? 1e12 : c[h] - c[0]);
                if (regret > pick_regret + 1e-12 ||
                    (regret >= pick_regret - 1e-12 && c[0] < pick_cost)) {
                    pick = static_cast<int>(p);
                    pick_v = best_v;
                    pick_regret = regret;
                    pick_cost = c[0];
                }
            }
            if (pick < 0) return;
            const bool was_empty = routes_[pick_v].empty();
            if (!insert(pool[pick], pick_v, cache[pick * nv + pick_v].ins)) {
                cache[pick * nv + pick_v].ins = Insertion{};
                continue;
            }
            active[pick] = 0;
            --left;
            valid[pick_v] = 0;
            if (was_empty) {
                // The class's next empty vehicle becomes a candidate: reuse no stale values.
                for (int v = 0; v < nv; ++v)
                    if (routes_[v].empty()) valid[v] = 0;
            }
        }
    }

    // Largest direct trip's distance cost: the scale of the insertion noise.
    double max_arc_cost() {
        if (max_arc_ < 0) {
            double cd = 0.0, dist = 0.0;
            for (double x : in_.cost_distance) cd = std::max(cd, x);
            for (int q = 0; q < in_.nreq(); ++q)
                dist = std::max(dist, in_.d(in_.loc[2 * q], in_.loc[2 * q + 1]));
            max_arc_ = cd * dist;
        }
        return max_arc_;
    }

    // ---- adaptive weights ---------------------------------------------------------------
    int roulette(const std::vector<double>& w) {
        const double total = std::accumulate(w.begin(), w.end(), 0.0);
        double x = std::uniform_real_distribution<double>(0.0, total)(rng_);
        for (size_t h = 0; h < w.size(); ++h) {
            if (x < w[h]) return static_cast<int>(h);
            x -= w[h];
        }
        return static_cast<int>(w.size()) - 1;
    }

    static void adapt(std::vector<double>& w, std::vector<double>& s, std::vector<int>& u) {
        const double reaction = 0.1;
        for (size_t h = 0; h < w.size(); ++h) {
            if (u[h] > 0) w[h] = std::max(0.05, w[h] * (1 - reaction) + reaction * s[h] / u[h]);
            s[h] = 0.0;
            u[h] = 0;
        }
    }

    const Instance& in_;
    Settings st_;
    Planner pl_;
    std::mt19937_64 rng_;
    Ejection ejection_;
    TailExchange tails_;
    PairMoves pairs_;
    VehicleSwap swaps_;
    RouteMerge merges_;
    RouteSplit splits_;
    Reorder reorder_;
    Clock::time_point start_;
    double cpu_start_ = 0.0, limit_ = 0.0;

    static double thread_cpu() {
        timespec ts{};
        clock_gettime(CLOCK_THREAD_CPUTIME_ID, &ts);
        return static_cast<double>(ts.tv_sec) + 1e-9 * static_cast<double>(ts.tv_nsec);
    }
    // Seconds spent so far on the clock the settings name.
    double elapsed() const {
        if (st_.cpu_clock) return thread_cpu() - cpu_start_;
        return std::chrono::duration<double>(Clock::now() - start_).count();
    }
    std::vector<Route> routes_, best_routes_, priced_routes_;
    std::vector<int> route_of_, best_route_of_, saved_route_of_, priced_route_of_;
    double dearest_ = 0.0;       // the dearest request's cost alone (penalties)
    int priced_carried_ = -1;    // requests the plan to return carries
    double priced_price_ = kInf; // and what its routes cost
    std::vector<std::pair<int, Route>> saved_;
    std::vector<char> saved_flag_;
    std::vector<char> changed_;  // routes changed since the last tail exchange descent
    std::vector<double> penalty_;
    std::vector<int> hopeless_;  // the left-out requests of the last try whose pool overgrew
    std::vector<std::vector<int>> neighbours_;
    std::vector<float> history_;  // see remove_historical
    double max_arc_ = -1.0;
};

}  // namespace samfard
