// A plan under construction: one route per vehicle (most empty), which request rides where,
// and the cheapest feasible insertion of a request into a route.
//
// Each route caches, per position, the earliest start of service (leaving at the shift
// start), the latest start that keeps the rest of the route within its windows, the load
// and who is on board. An insertion is screened with these in constant time per position
// pair and with a lower bound on its cost (the added distance: time paid never falls when a
// stop is added); only the survivors are scheduled exactly.
#pragma once

#include <algorithm>
#include <cassert>
#include <cmath>
#include <utility>
#include <vector>

#include "instance.hpp"
#include "route.hpp"

namespace samfard {

struct Route {
    int v = 0;
    std::vector<int> seq;
    Schedule sch;
    // Caches by position (0 start depot, 1..m stops, m+1 end depot).
    std::vector<double> earliest, latest;
    std::vector<int> load;  // (m+2) * ndim, after the stop
    std::vector<int> onboard, riders, fronts, alone;  // riders: passengers, not goods
    // Driving and service time from the start depot to position p (at m+1: the route's
    // busy time), and the waits of the earliest schedule summed up to p.
    std::vector<double> driven, waits;
    // How much later than `earliest` position p may start before a ride ending at p is
    // surely too long (kInf when no ride ends there), and the least of (room + waits) from
    // p on: a delay d at p is then d - (waits from p) later at each later position.
    std::vector<double> room, room_after;
    // Per arc p (from position p to p + 1): the least time any rider on board along it could
    // ride longer if nobody waited on board (ride limit less driving and service on the way).
    std::vector<double> ride_spare;

    bool empty() const { return seq.empty(); }
    double cost() const { return sch.cost; }
};

// The location and the service time at position p of route r (0: its start depot, past
// its last stop: its end depot, where nobody is served).
SAMFARD_HOT int location_at(const Instance& in, const Route& r, int p) {
    const int m = static_cast<int>(r.seq.size());
    return p == 0 ? in.start[r.v] : (p == m + 1 ? in.end[r.v] : in.loc[r.seq[p - 1]]);
}
SAMFARD_HOT double service_at(const Instance& in, const Route& r, int p) {
    const int m = static_cast<int>(r.seq.size());
    return (p == 0 || p == m + 1) ? 0.0 : in.service[r.seq[p - 1]];
}

// What insertion_bound finds: the least lower bound over the positions of a request in a
// route, the position (i, j) it belongs to (-1: none passes the screen) and the least bound
// of the other positions.
struct Bound {
    double least = kInf;
    int i = -1, j = -1;
    double runner_up = kInf;
};

struct Insertion {
    double delta = kInf;
    int i = -1;  // pickup after position i
    int j = -1;  // drop-off after position j (j == i: right after the pickup)
    bool found() const { return i >= 0; }
};

class Planner {
public:
    explicit Planner(const Instance& in) : in_(in), sched_(in) {}

    const Instance& instance() const { return in_; }

    // Schedule `r.seq` on its vehicle and refresh the caches; false when infeasible.
    bool refresh(Route& r) {
        if (!sequence_ok(in_, r.v, r.seq)) return false;
        Schedule s = sched_.run(r.v, r.seq);
        if (!s.feasible) return false;
        if (r.seq.empty()) s.cost = 0.0;
        r.sch = std::move(s);
        fill_caches(r);
        return true;
    }

    // `r` (scheduled by refresh) with its waits on board moved to before their stretches
    // whether they are paid or not (Waits): the times a plan hands out. The cost stays, and
    // every constraint holds, as each move stays within its slack; should the scheduler
    // refuse the sequence all the same, refresh's schedule stays.
    void settle(Route& r) {
        if (r.empty()) return;
        Schedule s = sched_.run(r.v, r.seq, Waits::all);
        assert(s.feasible && std::abs(s.cost - r.sch.cost) <= 1e-6 * (1.0 + std::abs(r.sch.cost)));
        if (s.feasible) r.sch = std::move(s);
    }

    // Cheapest insertion of request `q` into `r` whose cost increase is below `bound`.
    // With `hint` (what insertion_bound found for this route and request) its cheapest
    // position is scheduled first: when that costs no more than every other position's
    // bound it is the answer, and the screen is not run again.
    Insertion best_insertion(const Route& r, int q, double bound = kInf, const Bound* hint = nullptr) {
        const int v = r.v;
        const double old_cost = r.empty() ? 0.0 : r.cost();
        if (hint != nullptr && hint->i >= 0 && hint->least < bound) {
            const Schedule s = sched_.run(v, with(r, q, hint->i, hint->j));
            const double delta = s.cost - old_cost;
            if (s.feasible && delta <= hint->runner_up && delta < bound) return Insertion{delta, hint->i, hint->j};
        }
        // Screened candidates are scheduled cheapest lower bound first, so the exact
        // schedule runs only while a candidate could still beat the best found.
        pending_.clear();
        if (!screen(r, q, [&] { return bound; }, [&](int i, int j, double lb) { pending_.push_back({lb, i, j}); }))
            return Insertion{};
        std::sort(pending_.begin(), pending_.end(), [](const Pending& a, const Pending& b) {
            return a.lb != b.lb ? a.lb < b.lb : (a.i != b.i ? a.i < b.i : a.j < b.j);
        });
        Insertion best;
        best.delta = bound;
        for (const Pending& c : pending_) {
            if (c.lb >= best.delta) break;
            const Schedule s = sched_.run(v, with(r, q, c.i, c.j));
            if (!s.feasible) continue;
            const double delta = s.cost - old_cost;
            if (delta < best.delta) {
                best.delta = delta;
                best.i = c.i;
                best.j = c.j;
            }
        }
        return best.found() ? best : Insertion{};
    }

    // A lower bound on the cost increase of inserting `q` into `r` (kInf: no position
    // passes the screen, so the request surely does not fit), the position it belongs to
    // (the first such in best_insertion's order) and the least bound of any other
    // position: the screen of best_insertion without its exact schedules. The repair asks
    // this of every route and schedules only where the bound could make the route one of
    // the best. When both matrices keep the triangle inequality (Instance::metric) and the
    // vehicle's arc prices do not depend on the load, the drop-off's detour costs nothing
    // or more, so a pickup position whose cost alone passes the runner-up is not paired
    // with any drop-off position.
    Bound insertion_bound(const Route& r, int q) {
        // The screen gives positions in increasing (i, j), best_insertion's order of ties,
        // so a position with the same bound as the least found comes after it.
        Bound b;
        screen(r, q, [&] { return b.runner_up; }, [&](int i, int j, double lb) {
            if (lb < b.least) b = Bound{lb, i, j, b.least};
            else if (lb < b.runner_up) b.runner_up = lb;
        });
        return b;
    }

private:
    // `r.seq` with the pickup of `q` after position i and its drop-off after position j.
    const std::vector<int>& with(const Route& r, int q, int i, int j) {
        cand_.clear();
        cand_.insert(cand_.end(), r.seq.begin(), r.seq.begin() + i);
        cand_.push_back(2 * q);
        cand_.insert(cand_.end(), r.seq.begin() + i, r.seq.begin() + j);
        cand_.push_back(2 * q + 1);
        cand_.insert(cand_.end(), r.seq.begin() + j, r.seq.end());
        // The screen checked every position the new request rides through, so the static
        // checks of sequence_ok hold here; apply() runs them again through refresh().
        assert(sequence_ok(in_, r.v, cand_));
        return cand_;
    }

    // Every pickup/drop-off position pair (i, j) of `q` in `r` that the constant-time
    // screens let through, with a lower bound on its cost increase below `bound()`, goes
    // to `sink(i, j, lb)`. False when the vehicle cannot carry the request at all.
    template <class Limit, class Sink>
    bool screen(const Route& r, int q, Limit&& bound, Sink&& sink) {
        const Instance& in = in_;
        const int v = r.v;
        if (!in.ok(q, v)) return false;
        const int nd = in.ndim;
        const int m = static_cast<int>(r.seq.size());
        const int u = 2 * q, w = 2 * q + 1;
        const int lu = in.loc[u], lw = in.loc[w];
        const double su = in.service[u], sw = in.service[w];
        const double eu = in.screen_early[u], luate = in.screen_late[u];
        const double ew = in.screen_early[w], lwate = in.screen_late[w];
        const double ride = in.max_ride[q];
        const bool alone = in.alone[q] != 0;
        const bool goods = in.goods[q] != 0;
        const int front = in.front[q];
        const int* ql = &in.load[static_cast<size_t>(q) * nd];
        const int* cap = &in.capacity[static_cast<size_t>(v) * nd];
        const double fixed = r.empty() ? in.cost_fixed[v] : 0.0;
        auto loc_at = [&](int p) SAMFARD_HOT_LAMBDA { return location_at(in, r, p); };
        auto svc_at = [&](int p) SAMFARD_HOT_LAMBDA { return service_at(in, r, p); };
        auto early_at = [&](int p) SAMFARD_HOT_LAMBDA {
            return (p == 0 || p == m + 1) ? in.shift_early[v] : in.screen_early[r.seq[p - 1]];
        };
        auto fits = [&](int p) SAMFARD_HOT_LAMBDA {
            const int* lp = &r.load[static_cast<size_t>(p) * nd];
            for (int k = 0; k < nd; ++k)
                if (lp[k] + ql[k] > cap[k]) return false;
            return r.fronts[p] + front <= in.front_seats[v] &&
                   (goods || (r.alone[p] == 0 && !(alone && r.riders[p] > 0)));
        };
        // Cost of the arc from position a (or the new node x) to position b (or node y).
        auto is_pick_at = [&](int p) SAMFARD_HOT_LAMBDA {
            return p >= 1 && p <= m && is_pickup(r.seq[p - 1]);
        };
        auto arc_pp = [&](int from_loc, double from_svc, bool from_depot, int to_loc,
                          bool to_depot, bool to_pickup, bool loaded) SAMFARD_HOT_LAMBDA {
            return in.arc(v, from_loc, to_loc, from_svc, from_depot, to_depot, to_pickup, loaded);
        };
        // For vehicles priced by load: what the arc leaving position k costs more once the
        // new passenger rides it (an empty drive becomes billed, a stretch fee goes).
        const bool by_load = in.priced_by_load(v);
        const bool metric_prices = in.metric && !by_load;
        auto riding_over = [&](int k) SAMFARD_HOT_LAMBDA {
            if (!by_load || r.onboard[k] > 0) return 0.0;
            const int a = loc_at(k), b = loc_at(k + 1);
            const bool to_pick = is_pick_at(k + 1), to_end = k + 1 == m + 1;
            return arc_pp(a, svc_at(k), k == 0, b, to_end, to_pick, true) -
                   arc_pp(a, svc_at(k), k == 0, b, to_end, to_pick, false);
        };
        // Waits on board may shrink when a stop is added (a drive fills a wait), so the
        // bound leaves out what the route pays for them now.
        const double shrinkable = r.empty() ? 0.0 : r.sch.wait_cost;
        auto try_eval = [&](int i, int j, double lb) SAMFARD_HOT_LAMBDA {
            lb -= shrinkable;
            if (lb < bound()) sink(i, j, lb);
        };
        // Whether the stops from position p on can start `start_p` at p instead of
        // earliest[p] (what the new stops before p make them) with every ride and the
        // route's duration still possibly within limits; see fill_delay_room.
        const double max_duration = in.max_duration[v];
        const double busy = r.driven[m + 1];  // driving and service time of the route
        auto later_fits = [&](int p, double start_p) SAMFARD_HOT_LAMBDA {
            return start_p - r.earliest[p] <= r.room_after[p] - r.waits[p] + kTol;
        };
        // Whether the route can still last no longer than its limit: it reaches the end
        // no earlier than the delay at p leaves it, and leaves the depot no later than the
        // old route could or the new stops' windows let it (`depart_by`).
        auto duration_fits = [&](int p, double start_p, double depart_by) SAMFARD_HOT_LAMBDA {
            const double delay = start_p - r.earliest[p] - (r.waits[m + 1] - r.waits[p]);
            const double arrive = r.earliest[m + 1] + std::max(0.0, delay);
            return arrive - std::min(r.latest[0], depart_by) <= max_duration + kTol;
        };
        // `latest` never falls along a route, and a stop right after the new pickup (or
        // after its drop-off) starts no earlier than the pickup's (drop-off's) window opens
        // plus its service: positions before the first whose next stop may start that late
        // are skipped at once.
        auto first_after = [&](double start) SAMFARD_HOT_LAMBDA {
            int lo = 0, hi = m;
            while (lo < hi) {
                const int mid = (lo + hi) / 2;
                if (r.latest[mid + 1] < start - kTol) lo = mid + 1;
                else hi = mid;
            }
            return lo;
        };
        const int first_drop = first_after(ew + sw);
        for (int i = first_after(eu + su); i <= m; ++i) {
            const int li = loc_at(i);
            const double leave_i = r.earliest[i] + svc_at(i);
            if (leave_i > luate + kTol) break;
            if (!fits(i)) continue;
            const double arr_u = leave_i + in.t(li, lu);
            if (arr_u > luate + kTol) continue;
            const double bu = std::max(eu, arr_u);
            const int ln = loc_at(i + 1);
            const bool i_depot = i == 0, n_depot = i + 1 == m + 1;
            const double svc_i = svc_at(i);
            const bool i_loaded = r.onboard[i] > 0;
            const double dpi = arc_pp(li, svc_i, i_depot, lu, false, true, i_loaded) -
                               arc_pp(li, svc_i, i_depot, ln, n_depot, is_pick_at(i + 1), i_loaded);
            // Time the pickup adds between i and i + 1. The riders on board from i on ride
            // it too (and the drop-off's as well when that follows at once, no shorter by
            // the triangle inequality).
            const double detour_u = in.t(li, lu) + su + in.t(lu, ln) - in.t(li, ln);
            if (detour_u > r.ride_spare[i] + kTol) continue;
            const double to_u = r.driven[i] + svc_i + in.t(li, lu);  // driving to the pickup
            // Drop-off right after the pickup.
            {
                const double bw = std::max(ew, bu + su + in.t(lu, lw));
                const double next = bw + sw + in.t(lw, ln);
                const double start_next = std::max(early_at(i + 1), next);
                const double detour = in.t(li, lu) + su + in.t(lu, lw) + sw + in.t(lw, ln) - in.t(li, ln);
                if (bw <= lwate + kTol && next <= r.latest[i + 1] + kTol &&
                    busy + detour <= max_duration + kTol && later_fits(i + 1, start_next) &&
                    duration_fits(i + 1, start_next,
                                  std::min(luate - to_u, lwate - (to_u + su + in.t(lu, lw))))) {
                    const double lb = dpi + arc_pp(lu, su, false, lw, false, false, true) +
                                      arc_pp(lw, sw, false, ln, n_depot, is_pick_at(i + 1), i_loaded) +
                                      fixed;
                    try_eval(i, i, lb);
                }
            }
            // A ride-alone request may ride past goods stops: fits(j) refuses every
            // position with a passenger on board.
            if (i == m) continue;
            const double reach_next = bu + su + in.t(lu, ln);
            if (reach_next > r.latest[i + 1] + kTol) continue;
            const double latest_u =
                std::min(luate, r.latest[i + 1] - su - in.t(lu, ln));
            const double dpu = dpi + arc_pp(lu, su, false, ln, n_depot, is_pick_at(i + 1), true) + fixed;
            // Every drop-off position adds its detour, no less than nothing (see insertion_bound).
            if (metric_prices && dpu - shrinkable > bound()) continue;
            double bj = std::max(early_at(i + 1), reach_next);
            double over = 0.0;  // riding_over of the arcs from i + 1 to j
            for (int j = i + 1; j <= m; ++j) {
                if (j > i + 1) {
                    bj = std::max(early_at(j), bj + svc_at(j - 1) + in.t(loc_at(j - 1), loc_at(j)));
                    over += riding_over(j - 1);
                }
                if (bj > r.latest[j] + kTol) break;
                // A ride ending at j that the new pickup already makes too long stays so.
                if (bj - r.earliest[j] > r.room[j] + kTol) break;
                if (!fits(j)) break;
                const double leave_j = bj + svc_at(j);
                if (leave_j - latest_u - su > ride + kTol) break;
                if (j < first_drop) continue;
                const int lj = loc_at(j), lnj = loc_at(j + 1);
                const double bw = std::max(ew, leave_j + in.t(lj, lw));
                if (bw > lwate + kTol) {
                    if (leave_j > lwate + kTol) break;
                    continue;
                }
                const double next = bw + sw + in.t(lw, lnj);
                if (next > r.latest[j + 1] + kTol) continue;
                if (bw - latest_u - su > ride + kTol) continue;
                const double detour_w = in.t(lj, lw) + sw + in.t(lw, lnj) - in.t(lj, lnj);
                if (busy + detour_u + detour_w > max_duration + kTol) continue;
                if (detour_w > r.ride_spare[j] + kTol) continue;
                const double start_next = std::max(early_at(j + 1), next);
                if (!later_fits(j + 1, start_next)) continue;
                const double to_w = r.driven[j] + detour_u + svc_at(j) + in.t(lj, lw);
                if (!duration_fits(j + 1, start_next, std::min(luate - to_u, lwate - to_w))) continue;
                const double svc_j = svc_at(j);
                const bool nj_depot = j + 1 == m + 1;
                const bool j_loaded = r.onboard[j] > 0;
                const double lb = dpu + over + arc_pp(lj, svc_j, false, lw, false, false, true) +
                                  arc_pp(lw, sw, false, lnj, nj_depot, is_pick_at(j + 1), j_loaded) -
                                  arc_pp(lj, svc_j, false, lnj, nj_depot, is_pick_at(j + 1), j_loaded);
                try_eval(i, j, lb);
            }
        }
        return true;
    }

public:
    // Apply an insertion found by best_insertion (schedules the route again).
    bool apply(Route& r, int q, const Insertion& ins) {
        std::vector<int> seq;
        seq.reserve(r.seq.size() + 2);
        seq.insert(seq.end(), r.seq.begin(), r.seq.begin() + ins.i);
        seq.push_back(2 * q);
        seq.insert(seq.end(), r.seq.begin() + ins.i, r.seq.begin() + ins.j);
        seq.push_back(2 * q + 1);
        seq.insert(seq.end(), r.seq.begin() + ins.j, r.seq.end());
        std::swap(seq, r.seq);
        if (refresh(r)) return true;
        std::swap(seq, r.seq);
        return false;
    }

    // The requests of `from` put into `r` (scheduled by refresh) one at a time in the order
    // of their pickups, each where it is cheapest; false when one fits nowhere. How a short
    // route is carried by another vehicle or joined to another route where its own order
    // is not the cheapest there, or does not run at all: another depot, shift or capacity
    // wants another order.
    bool insert_all(Route& r, const Route& from) {
        for (int node : from.seq) {
            if (!is_pickup(node)) continue;
            const int q = request_of(node);
            const Insertion ins = best_insertion(r, q);
            if (!ins.found() || !apply(r, q, ins)) return false;
        }
        return true;
    }

    // The cost of `r` without request `a` (kInf: the rest cannot be scheduled): what
    // without() would give, with no caches filled (a subsequence of a route passes the
    // static checks, so they are not run again).
    double cost_without(const Route& r, int a) {
        rest_of(r, a, -1, cand_);
        return cost_of(r.v, cand_, true);
    }

    // The cost of vehicle v driving `seq` (0 when empty, kInf when it fails the static
    // checks or cannot be scheduled): what refresh would give, with no caches filled, for
    // a candidate that is most often refused. `checked`: the caller knows the static
    // checks hold, so they are not run again.
    double cost_of(int v, const std::vector<int>& seq, bool checked = false) {
        if (seq.empty()) return 0.0;
        assert(!checked || sequence_ok(in_, v, seq));
        if (!checked && !sequence_ok(in_, v, seq)) return kInf;
        const Schedule s = sched_.run(v, seq);
        return s.feasible ? s.cost : kInf;
    }

    // `r` with no stops left, scheduled: its vehicle unused.
    void clear(Route& r) {
        r.seq.clear();
        refresh(r);
    }

    // `r` without requests `a` and `b` (b < 0: without `a` alone), scheduled into `out`;
    // false when the rest cannot be scheduled.
    bool without(const Route& r, int a, int b, Route& out) {
        out.v = r.v;
        rest_of(r, a, b, out.seq);
        return refresh(out);
    }

private:
    // The stops of `r` that are not of requests `a` or `b`, into `seq`.
    static void rest_of(const Route& r, int a, int b, std::vector<int>& seq) {
        seq.clear();
        for (int node : r.seq) {
            const int x = request_of(node);
            if (x != a && x != b) seq.push_back(node);
        }
    }

    void fill_caches(Route& r) {
        const Instance& in = in_;
        const int v = r.v;
        const int m = static_cast<int>(r.seq.size());
        const int n = m + 2;
        const int nd = in.ndim;
        r.earliest.assign(n, 0.0);
        r.latest.assign(n, 0.0);
        r.load.assign(static_cast<size_t>(n) * nd, 0);
        r.onboard.assign(n, 0);
        r.riders.assign(n, 0);
        r.fronts.assign(n, 0);
        r.alone.assign(n, 0);
        auto loc_at = [&](int p) { return location_at(in, r, p); };
        r.earliest[0] = in.shift_early[v];
        r.driven.assign(n, 0.0);
        r.waits.assign(n, 0.0);
        for (int p = 1; p < n; ++p) {
            const double prev_s = p == 1 ? 0.0 : in.service[r.seq[p - 2]];
            const double e = p == m + 1 ? in.shift_early[v] : in.screen_early[r.seq[p - 1]];
            const double drive = prev_s + in.t(loc_at(p - 1), loc_at(p));
            r.earliest[p] = std::max(e, r.earliest[p - 1] + drive);
            r.driven[p] = r.driven[p - 1] + drive;
            r.waits[p] = r.waits[p - 1] + (r.earliest[p] - (r.earliest[p - 1] + drive));
        }
        r.latest[n - 1] = in.shift_late[v];
        for (int p = n - 2; p >= 0; --p) {
            const double s = p == 0 ? 0.0 : in.service[r.seq[p - 1]];
            const double l = p == 0 ? in.shift_late[v] : in.screen_late[r.seq[p - 1]];
            r.latest[p] = std::min(l, r.latest[p + 1] - s - in.t(loc_at(p), loc_at(p + 1)));
        }
        fill_delay_room(r);
        for (int p = 1; p <= m; ++p) {
            const int node = r.seq[p - 1];
            const int q = request_of(node);
            const int sign = is_pickup(node) ? 1 : -1;
            for (int k = 0; k < nd; ++k)
                r.load[static_cast<size_t>(p) * nd + k] =
                    r.load[static_cast<size_t>(p - 1) * nd + k] + sign * in.load[static_cast<size_t>(q) * nd + k];
            r.onboard[p] = r.onboard[p - 1] + sign;
            r.riders[p] = r.riders[p - 1] + (in.goods[q] ? 0 : sign);
            r.fronts[p] = r.fronts[p - 1] + sign * in.front[q];
            r.alone[p] = r.alone[p - 1] + sign * in.alone[q];
        }
    }

    // The caches that bound how far an insertion may delay the stops after it. A rider
    // picked up at a and set down at c rides at least earliest'(c) - latest(a) - service(a)
    // in any route the insertion makes (it can start c no earlier and a no later than
    // now, by the triangle inequality), and at least the driving and service between a and
    // c; the route lasts at least its end's earliest' arrival minus the depot's latest
    // departure. earliest' is earliest plus the delay, which each wait of the earliest
    // schedule absorbs in part. Reads `earliest`, `latest`, `driven` and `waits`, which
    // fill_caches sets first.
    void fill_delay_room(Route& r) {
        const Instance& in = in_;
        const int m = static_cast<int>(r.seq.size());
        const int n = m + 2;
        r.room.assign(n, kInf);
        r.room_after.assign(n, kInf);
        r.ride_spare.assign(n, kInf);
        thread_local std::vector<int> pickup_at;
        if (pickup_at.size() < in.max_ride.size()) pickup_at.resize(in.max_ride.size());
        const std::vector<double>& driven = r.driven;
        for (int p = 1; p <= m; ++p) {
            const int node = r.seq[p - 1];
            const int q = request_of(node);
            if (is_pickup(node)) {
                pickup_at[q] = p;
            } else {
                const int a = pickup_at[q];
                r.room[p] = in.max_ride[q] + r.latest[a] + in.service[2 * q] - r.earliest[p];
                const double spare = in.max_ride[q] - (driven[p] - driven[a] - in.service[2 * q]);
                for (int k = a; k < p; ++k) r.ride_spare[k] = std::min(r.ride_spare[k], spare);
            }
        }
        for (int p = n - 1; p >= 1; --p) {
            const double here = r.room[p] + r.waits[p];
            r.room_after[p] = p + 1 < n ? std::min(here, r.room_after[p + 1]) : here;
        }
    }

    const Instance& in_;
    Scheduler sched_;
    struct Pending {
        double lb;
        int i, j;
    };
    std::vector<int> cand_;
    std::vector<Pending> pending_;
};

// Vehicles worth trying for an insertion into `routes`: every used one, and the first empty
// vehicle of each class while the vehicle limit allows one more (empty vehicles of a class
// differ in nothing). A vehicle marked in `shut` (live insertion: a route the core could not
// schedule) counts as used and takes nothing.
inline std::vector<int> insertion_candidates(const Instance& in, const std::vector<Route>& routes,
                                             const std::vector<uint8_t>* shut = nullptr) {
    const auto is_shut = [&](const Route& r) { return shut != nullptr && (*shut)[r.v] != 0; };
    int used = 0;
    for (const Route& r : routes) used += (!r.empty() || is_shut(r)) ? 1 : 0;
    const bool room = used < in.max_vehicles;
    std::vector<int> out;
    std::vector<char> class_seen;
    for (const Route& r : routes) {
        if (is_shut(r)) continue;
        if (!r.empty()) {
            out.push_back(r.v);
            continue;
        }
        if (!room) continue;
        const int c = in.vclass[r.v];
        if (c >= static_cast<int>(class_seen.size())) class_seen.resize(c + 1, 0);
        if (!class_seen[c]) {
            class_seen[c] = 1;
            out.push_back(r.v);
        }
    }
    return out;
}

// A first-improvement descent over whole routes (VehicleSwap, RouteMerge): `move(a)`
// tries route a against the others and makes the cheaper move it finds (true), pass after
// pass until one makes none, or `stop()`. True when a move was made. `certified` holds each
// route's stops as the last descent left them, so a move can skip pairs unchanged since.
template <class Move, class Stop>
bool descend_routes(const std::vector<Route>& routes, std::vector<std::vector<int>>& certified,
                    Move&& move, Stop&& stop) {
    const int nv = static_cast<int>(routes.size());
    // On the first call no route is certified ({-1} is no route's sequence).
    if (static_cast<int>(certified.size()) != nv) certified.assign(nv, {-1});
    bool moved_any = false;
    bool again = true;
    while (again) {
        again = false;
        for (int a = 0; a < nv; ++a) {
            if (routes[a].empty()) continue;
            if (stop()) return moved_any;
            if (move(a)) moved_any = again = true;
        }
    }
    for (int v = 0; v < nv; ++v) certified[v] = routes[v].seq;
    return moved_any;
}

// The first unused vehicle of each class (Instance::vclass), in the order of `routes`: the
// others of a class would plan the same. The moves that give a route a vehicle of its own
// (the ejection search under a vehicle limit, two routes run as one) try these.
inline std::vector<int> unused_by_class(const Instance& in, const std::vector<Route>& routes) {
    std::vector<int> out;
    std::vector<char> class_seen(routes.size(), 0);
    for (const Route& r : routes) {
        if (!r.empty() || class_seen[in.vclass[r.v]]) continue;
        class_seen[in.vclass[r.v]] = 1;
        out.push_back(r.v);
    }
    return out;
}

// Routes of at most this many requests are short: the moves over whole routes (two routes
// run as one, a route on another vehicle or shared out between two) also rebuild them
// request by request where they go (Planner::insert_all), which for a long route would
// cost a repair each.
constexpr size_t kShortRoute = 3;

inline bool is_short(const Route& r) { return r.seq.size() <= 2 * kShortRoute; }

// Lower bounds of insertion_bound are checked against exact costs with this much slack,
// so rounding in the bound never makes a tie of costs look like a loss.
constexpr double kBoundSlack = 1e-7;

// The cheapest insertion of `q` into any of `vehicles`' routes, and that vehicle (-1: none);
// of equal costs the vehicle first in `vehicles`. Routes are scheduled in the order of
// their lower bounds, and only while the bound could still match the best found.
inline std::pair<int, Insertion> cheapest_place(Planner& pl, const std::vector<Route>& routes,
                                                const std::vector<int>& vehicles, int q) {
    thread_local std::vector<std::pair<Bound, int>> order;  // (bound, index in vehicles)
    order.clear();
    for (int k = 0; k < static_cast<int>(vehicles.size()); ++k) {
        const Bound b = pl.insertion_bound(routes[vehicles[k]], q);
        if (b.least < kInf) order.emplace_back(b, k);
    }
    std::sort(order.begin(), order.end(), [](const auto& a, const auto& b) {
        return a.first.least != b.first.least ? a.first.least < b.first.least : a.second < b.second;
    });
    Insertion best;
    int best_k = -1;
    for (const auto& [b, k] : order) {
        if (b.least > best.delta + kBoundSlack) break;
        // A tie goes to the vehicle first in the list, so one later in it must be cheaper.
        const double beat = best_k < 0 || k < best_k ? best.delta + kBoundSlack : best.delta;
        const Insertion ins = pl.best_insertion(routes[vehicles[k]], q, beat, &b);
        if (!ins.found()) continue;
        if (ins.delta < best.delta || (ins.delta == best.delta && k < best_k)) {
            best = ins;
            best_k = k;
        }
    }
    return {best_k < 0 ? -1 : vehicles[best_k], best};
}

// Puts the two new routes of a move between routes a and b in their place and points
// their requests at them. `touch(v)` is called first for each, so an undo log can save the
// old route (the tail exchange and the pair moves make such moves).
template <class Touch>
void install_pair(std::vector<Route>& routes, std::vector<int>& route_of, int a, Route&& new_a, int b,
                  Route&& new_b, Touch&& touch) {
    touch(a);
    touch(b);
    routes[a] = std::move(new_a);
    routes[b] = std::move(new_b);
    for (int node : routes[a].seq) route_of[request_of(node)] = a;
    for (int node : routes[b].seq) route_of[request_of(node)] = b;
}

}  // namespace samfard
