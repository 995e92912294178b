// Tail exchange between two routes (2-opt*, Potvin & Rousseau 1995) where both are empty.
//
// Cut route A after a stop where nobody is on board and route B likewise; A keeps its
// head and takes B's tail, B keeps its head and takes A's tail. No ride crosses a cut, so
// every ride stays whole. The move swaps whole stretches of a day between two vehicles,
// which destroy and repair reach only by taking out and putting back every request of a
// tail, through plans that break the route duration on the way. A cut pair is scheduled
// only when the two new junctions could be driven in time and cost less than the two
// they replace (so an exchange that would save only paid time is not tried); the exact
// schedules of both new routes decide.
#pragma once

#include <cassert>
#include <vector>

#include "instance.hpp"
#include "plan.hpp"

namespace samfard {

class TailExchange {
public:
    // `neighbours`: each request's granular neighbours (Search::neighbour_lists).
    TailExchange(const Instance& in, Planner& pl, const std::vector<std::vector<int>>& neighbours)
        : in_(in), pl_(pl), neighbours_(neighbours), carries_(carrying_classes(in)) {}

    // First-improvement descent over pairs of non-empty routes until no exchange lowers
    // the cost. A pair is tried when one of its routes is marked in `changed` (a pair that
    // has not changed since the last descent ended has no cheaper exchange) or was made
    // by an exchange of this descent, and the other carries a neighbour of one of its
    // requests: so the work grows with the routes changed, not with the square of the
    // fleet. `touch(v)` is called before route v changes.
    template <class Touch>
    void descend(std::vector<Route>& routes, std::vector<int>& route_of, const std::vector<char>& changed,
                Touch&& touch) {
        const size_t nv = routes.size();
        near_.assign(nv * nv, 0);
        for (size_t a = 0; a < nv; ++a)
            if (changed[a]) mark(routes, route_of, a);
        bool again = true;
        while (again) {
            again = false;
            for (size_t a = 0; a < nv; ++a) {
                for (size_t b = a + 1; b < nv; ++b) {
                    if (!near_[a * nv + b] || routes[a].empty() || routes[b].empty()) continue;
                    if (!improve(routes[a], routes[b])) continue;
                    install_pair(routes, route_of, static_cast<int>(a), std::move(na_), static_cast<int>(b),
                                 std::move(nb_), touch);
                    mark(routes, route_of, a);
                    mark(routes, route_of, b);
                    again = true;
                }
            }
        }
    }

private:
    // Vehicles with the same capacity in every dimension, the same front seats and the
    // same requests allowed share a class. A tail is made of whole stretches (every cut
    // is where nobody is on board), so a tail that passed the static checks on one
    // vehicle passes them on any vehicle of its class.
    static std::vector<int> carrying_classes(const Instance& in) {
        const int nv = in.nveh(), nd = in.ndim, nr = in.nreq();
        auto alike = [&](int v, int w) {
            if (in.front_seats[v] != in.front_seats[w]) return false;
            for (int k = 0; k < nd; ++k)
                if (in.capacity[v * nd + k] != in.capacity[w * nd + k]) return false;
            for (int r = 0; r < nr; ++r)
                if (in.ok(r, v) != in.ok(r, w)) return false;
            return true;
        };
        std::vector<int> out(nv, -1), first;  // first: a vehicle of each class
        for (int v = 0; v < nv; ++v) {
            for (size_t c = 0; c < first.size() && out[v] < 0; ++c)
                if (alike(v, first[c])) out[v] = static_cast<int>(c);
            if (out[v] < 0) {
                out[v] = static_cast<int>(first.size());
                first.push_back(v);
            }
        }
        return out;
    }

    // Route a and the routes that carry a neighbour of one of its requests become a pair
    // to try.
    void mark(const std::vector<Route>& routes, const std::vector<int>& route_of, size_t a) {
        const size_t nv = routes.size();
        for (int node : routes[a].seq) {
            if (!is_pickup(node)) continue;
            for (int other : neighbours_[request_of(node)]) {
                const int b = route_of[other];
                if (b < 0 || static_cast<size_t>(b) == a) continue;
                near_[a * nv + b] = near_[b * nv + a] = 1;
            }
        }
    }

    // Whether position k of `to` is past its last stop.
    static bool past_end(const Route& to, int k) { return k == static_cast<int>(to.seq.size()) + 1; }
    // The location of position k of `to` for vehicle v: past the last stop, v's own end
    // depot (the tail that ends a route is driven home by the vehicle that takes it).
    int reach(int v, const Route& to, int k) const {
        return past_end(to, k) ? in_.end[v] : in_.loc[to.seq[k - 1]];
    }
    // What vehicle v pays to drive empty from position p of `from` to position k of `to`.
    double junction(int v, const Route& from, int p, const Route& to, int k) const {
        const bool to_end = past_end(to, k);
        return in_.arc(v, location_at(in_, from, p), reach(v, to, k), service_at(in_, from, p), p == 0,
                       to_end, !to_end, false);
    }
    // Whether v can leave position p of `from` at its earliest and still reach position k
    // of `to` by the latest start `to` allows there.
    bool in_time(int v, const Route& from, int p, const Route& to, int k) const {
        const double latest = past_end(to, k) ? in_.shift_late[v] : to.latest[k];
        return from.earliest[p] + service_at(in_, from, p) +
                   in_.t(location_at(in_, from, p), reach(v, to, k)) <=
               latest + kTol;
    }

    // Vehicles that pay nothing for driving empty and the same fees to board: a junction
    // then costs the same wherever it goes, so no exchange between them passes the filter.
    bool junctions_priced_alike(int va, int vb) const {
        return in_.loaded_only[va] && in_.loaded_only[vb] && in_.cost_pickup[va] == in_.cost_pickup[vb] &&
               in_.cost_stretch[va] == in_.cost_stretch[vb];
    }

    // The first cut pair of `a` and `b` whose exchange is cheaper, built in na_ and nb_.
    // Earliest and latest starts never fall along a route, so the cuts of `b` that could
    // be in time with cut i of `a` form one range, found by bisection.
    bool improve(const Route& a, const Route& b) {
        if (junctions_priced_alike(a.v, b.v)) return false;
        const int ma = static_cast<int>(a.seq.size()), mb = static_cast<int>(b.seq.size());
        const double old_cost = a.cost() + b.cost();
        const bool alike = carries_[a.v] == carries_[b.v];
        for (int i = 0; i <= ma; ++i) {
            if (a.onboard[i] != 0) continue;
            // b's next stop must be able to start after a leaves i, and b must leave its
            // cut before a's next stop (or b's end depot after a's last) must start: both
            // what in_time asks, less the drive. b's last cut is always tried (a then
            // drives to its own end depot).
            const double leave_a = a.earliest[i] + service_at(in_, a, i) - kTol;
            const double latest_a = (i == ma ? in_.shift_late[b.v] : a.latest[i + 1]) + kTol;
            int lo = 0, hi = mb;
            while (lo < hi) {
                const int mid = (lo + hi) / 2;
                if (b.latest[mid + 1] < leave_a) lo = mid + 1;
                else hi = mid;
            }
            const double old_a = junction(a.v, a, i, a, i + 1);
            for (int j = lo; j <= mb; ++j) {
                if (b.earliest[j] + service_at(in_, b, j) > latest_a) break;
                if (b.onboard[j] != 0) continue;
                if ((i == ma && j == mb) || (i == 0 && j == 0)) continue;  // nothing moves
                if (!in_time(a.v, a, i, b, j + 1) || !in_time(b.v, b, j, a, i + 1)) continue;
                const double gain = old_a + junction(b.v, b, j, b, j + 1) -
                                    junction(a.v, a, i, b, j + 1) - junction(b.v, b, j, a, i + 1);
                if (gain <= kTol) continue;
                na_.v = a.v;
                na_.seq.assign(a.seq.begin(), a.seq.begin() + i);
                na_.seq.insert(na_.seq.end(), b.seq.begin() + j, b.seq.end());
                nb_.v = b.v;
                nb_.seq.assign(b.seq.begin(), b.seq.begin() + j);
                nb_.seq.insert(nb_.seq.end(), a.seq.begin() + i, a.seq.end());
                // Costs are never negative, so a new route a that alone costs what the two
                // did needs no schedule for b; the caches are filled only for the exchange made.
                const double cost_a = pl_.cost_of(a.v, na_.seq, alike);
                if (cost_a >= old_cost - 1e-9) continue;
                if (cost_a + pl_.cost_of(b.v, nb_.seq, alike) >= old_cost - 1e-9) continue;
                const bool scheduled = pl_.refresh(na_) && pl_.refresh(nb_);
                assert(scheduled);
                return scheduled;
            }
        }
        return false;
    }

    const Instance& in_;
    Planner& pl_;
    const std::vector<std::vector<int>>& neighbours_;
    const std::vector<int> carries_;  // each vehicle's carrying class
    std::vector<char> near_;  // nv x nv: the pairs of routes to try
    Route na_, nb_;
};

}  // namespace samfard
