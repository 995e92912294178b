// One vehicle's route: the stop sequence, its schedule and the caches insertion reads.
//
// schedule() is the eight-step procedure of Cordeau & Laporte (2003): earliest times
// forward, the depot departure delayed by the forward time slack so that waiting (paid by
// the minute) shrinks, then, where a ride is too long, pickups delayed within their slack
// (which counts the ride times of passengers already on board) without moving the arrival
// at the end depot: first only those of rides too long, by their excess, and every pickup,
// by all its slack, only where that does not suffice. Each pickup into an empty vehicle
// is then delayed as far as its slack and the waits later in its stretch allow, which
// moves those waits (for a later pickup, paid by `cost_wait`, or for a drop-off window to
// open) to before the stretch, where the vehicle is empty: the route's end stays and every
// ride time stays or shrinks. The result is checked constraint by constraint at the end,
// so a schedule it returns is always feasible; it may, rarely, call a feasible sequence
// infeasible, which only costs the search a move. Quadratic in the stops in the worst
// case, linear when few pickups need delaying.
#pragma once

#include <algorithm>
#include <utility>
#include <vector>

#include "instance.hpp"

namespace samfard {

struct Schedule {
    bool feasible = false;
    double cost = 0.0;
    double wait_cost = 0.0;  // the part of `cost` paid for waiting with someone on board
    double distance = 0.0;
    double depart = 0.0;  // start of the route at the start depot
    double arrive = 0.0;  // arrival at the end depot
    std::vector<double> times;  // start of service at each stop
};

// Static checks of a sequence: pairing, capacity per dimension, front seats, ride alone.
inline bool sequence_ok(const Instance& in, int v, const std::vector<int>& seq) {
    const int nd = in.ndim;
    int load_buf[16];
    std::vector<int> big;
    int* load = load_buf;
    if (nd > 16) {
        big.assign(nd, 0);
        load = big.data();
    } else {
        std::fill(load, load + nd, 0);
    }
    int onboard = 0, riders = 0, fronts = 0, alone = 0;  // riders: passengers, not goods
    // Which requests are on board: a drop-off needs its own pickup before it.
    thread_local std::vector<uint8_t> riding;
    if (riding.size() < in.max_ride.size()) riding.assign(in.max_ride.size(), 0);
    bool paired = true;
    for (int node : seq) {
        const int r = request_of(node);
        if (is_pickup(node) ? riding[r] != 0 : riding[r] != 1) {
            paired = false;
            break;
        }
        riding[r] = is_pickup(node) ? 1 : 2;
    }
    for (int node : seq) riding[request_of(node)] = 0;
    if (!paired) return false;
    for (int node : seq) {
        const int r = request_of(node);
        const int* q = &in.load[static_cast<size_t>(r) * nd];
        if (is_pickup(node)) {
            if (!in.ok(r, v)) return false;
            if (!in.goods[r]) {
                if (alone > 0 || (in.alone[r] && riders > 0)) return false;
                ++riders;
            }
            ++onboard;
            fronts += in.front[r];
            alone += in.alone[r];
            if (fronts > in.front_seats[v]) return false;
            for (int k = 0; k < nd; ++k) {
                load[k] += q[k];
                if (load[k] > in.capacity[v * nd + k]) return false;
            }
        } else {
            --onboard;
            riders -= in.goods[r] ? 0 : 1;
            fronts -= in.front[r];
            alone -= in.alone[r];
            for (int k = 0; k < nd; ++k) load[k] -= q[k];
            if (onboard < 0) return false;
        }
    }
    return onboard == 0;
}

// Which waits on board a schedule moves to before their stretch. Where the vehicle is not
// paid for waiting, moving them changes no cost, so the search skips it (`priced`; moving
// them for every candidate made pr10 of the 2003 set about 5 % slower) and the schedules
// handed out do it (`all`): the same plan, with nobody sitting in a parked car needlessly.
enum class Waits { priced, all };

// Times, windows, ride times and duration of a sequence whose static checks passed.
// Positions: 0 start depot, 1..m the stops, m+1 end depot.
class Scheduler {
public:
    explicit Scheduler(const Instance& in) : in_(in) {}

    Schedule run(int v, const std::vector<int>& seq, Waits moved = Waits::priced) {
        Schedule out;
        const int m = static_cast<int>(seq.size());
        if (m == 0) {
            out.feasible = true;
            out.depart = out.arrive = in_.shift_early[v];
            return out;
        }
        resize(m);
        const int n = m + 2;
        lc_[0] = in_.start[v];
        e_[0] = in_.shift_early[v];
        l_[0] = in_.shift_late[v];
        s_[0] = 0.0;
        partner_[0] = -1;
        for (int p = 1; p <= m; ++p) {
            const int node = seq[p - 1];
            lc_[p] = in_.loc[node];
            e_[p] = in_.early[node];
            l_[p] = in_.late[node];
            s_[p] = in_.service[node];
            partner_[p] = -1;
        }
        lc_[n - 1] = in_.end[v];
        e_[n - 1] = in_.shift_early[v];
        l_[n - 1] = in_.shift_late[v];
        s_[n - 1] = 0.0;
        partner_[n - 1] = -1;
        // Pair pickups with drop-offs by position.
        for (int p = 1; p <= m; ++p) pos_of_[seq[p - 1]] = p;
        for (int p = 1; p <= m; ++p) {
            const int node = seq[p - 1];
            if (is_pickup(node)) {
                const int q = pos_of_[node + 1];
                partner_[p] = q;
                partner_[q] = p;
                limit_[q] = in_.max_ride[request_of(node)];
            }
        }
        for (int p = 0; p + 1 < n; ++p) tt_[p] = in_.t(lc_[p], lc_[p + 1]);

        // Step 1: earliest schedule leaving at the shift start.
        b_[0] = e_[0];
        if (!forward(0)) return out;
        // Steps 2-3: leave the depot as late as the slack allows.
        b_[0] = e_[0] + delay_room(0);
        push(0);
        const double maxdur = in_.max_duration[v];
        if (b_[n - 1] - b_[0] > maxdur + kTol) return out;
        // Steps 4-7: delay pickups while a ride time is over its limit. A delay within the
        // slack never makes another ride too long, so after them the answer is known.
        if (const int last = last_violated_pickup(); last > 0 && !shorten_rides(seq, last)) return out;
        if (moved == Waits::all || in_.cost_wait[v] > 0.0) shorten_waits_on_board(seq);
        // Final check of every time constraint.
        for (int p = 1; p < n; ++p) {
            if (b_[p] + kTol < b_[p - 1] + s_[p - 1] + tt_[p - 1]) return out;
            if (b_[p] < e_[p] - kTol || b_[p] > l_[p] + kTol) return out;
        }
        if (b_[n - 1] - b_[0] > maxdur + kTol) return out;
        double dist = 0.0, arcs = 0.0, loaded_wait = 0.0;
        int aboard = 0;  // passengers on board when leaving position p
        for (int p = 0; p + 1 < n; ++p) {
            if (p >= 1) aboard += is_pickup(seq[p - 1]) ? 1 : -1;
            dist += in_.d(lc_[p], lc_[p + 1]);
            const bool to_pickup = p + 1 <= m && is_pickup(seq[p]);
            arcs += in_.arc(v, lc_[p], lc_[p + 1], s_[p], p == 0, p + 2 == n, to_pickup, aboard > 0);
            if (aboard > 0 && to_pickup) loaded_wait += std::max(0.0, b_[p + 1] - (b_[p] + s_[p] + tt_[p]));
        }
        out.feasible = true;
        out.distance = dist;
        out.depart = b_[0];
        out.arrive = b_[n - 1];
        out.wait_cost = in_.cost_wait[v] * loaded_wait;
        out.cost = arcs + out.wait_cost + in_.cost_time[v] * (out.arrive - out.depart) + in_.cost_fixed[v];
        out.times.assign(b_.begin() + 1, b_.begin() + 1 + m);
        return out;
    }

private:
    void resize(int m) {
        const size_t n = static_cast<size_t>(m) + 2;
        if (b_.size() < n) {
            for (auto* vec : {&b_, &w_, &e_, &l_, &s_, &tt_, &limit_}) vec->resize(n);
            lc_.resize(n);
            partner_.resize(n);
        }
        if (pos_of_.size() < in_.loc.size()) pos_of_.resize(in_.loc.size());
        n_ = static_cast<int>(n);
    }

    // Recompute service starts after position `from` (whose start is set); false when a
    // window closes before the vehicle can arrive.
    bool forward(int from) {
        w_[from] = 0.0;
        for (int p = from + 1; p < n_; ++p) {
            const double arrival = b_[p - 1] + s_[p - 1] + tt_[p - 1];
            b_[p] = std::max(arrival, e_[p]);
            w_[p] = b_[p] - arrival;
            if (b_[p] > l_[p] + kTol) return false;
        }
        return true;
    }

    // After the start at `from` moved later: move later stops as far as waiting does not
    // absorb it; stops once a start is unchanged (the rest of the schedule is then too).
    // No start moves earlier: a stop already delayed (for a ride limit) keeps its delay,
    // which its window alone would not hold, as the slack arithmetic assumes.
    void push(int from) {
        for (int p = from + 1; p < n_; ++p) {
            const double arrival = b_[p - 1] + s_[p - 1] + tt_[p - 1];
            if (arrival <= b_[p]) {
                w_[p] = b_[p] - arrival;
                break;
            }
            w_[p] = 0.0;
            b_[p] = arrival;
        }
    }

    // Forward time slack at position i: how far its start can move later without breaking a
    // later window or the ride time of a passenger picked up before i. Each term is the
    // waits since i plus a room of at least nothing, so once the waits reach the least term
    // no later one is less.
    double slack(int i) const { return slack_and_waits(i).first; }

    // How far position i can be delayed so that the route's end does not move: the least of
    // its slack and the waits after it.
    double delay_room(int i) const {
        const auto [slack, waits] = slack_and_waits(i);
        return std::min(slack, waits);
    }

    // (slack at i, waits after i); the waits are summed only as far as the slack needs
    // them, where they are already no less than it.
    std::pair<double, double> slack_and_waits(int i) const {
        double best = kInf, waits = 0.0;
        for (int j = i; j < n_; ++j) {
            if (j > i) {
                waits += w_[j];
                if (waits >= best) break;
            }
            double room = l_[j] - b_[j];
            const int pick = partner_[j];
            if (pick >= 0 && pick < i) {  // j is a drop-off of someone already on board
                const double ride = b_[j] - (b_[pick] + s_[pick]);
                room = std::min(room, limit_[j] - ride);
            }
            best = std::min(best, waits + std::max(0.0, room));
        }
        return {best, waits};
    }

    // Delay each pickup into an empty vehicle by the waits later in its stretch, at
    // pickups and drop-offs alike (up to its slack): those waits move to before the
    // pickup, where nobody is on board. A delay within the slack breaks no window or ride
    // time (Cordeau & Laporte 2003), and one no longer than the stretch's waits is absorbed
    // within the stretch, so nothing after it moves and the route's duration is unchanged;
    // every ride in the stretch stays or shrinks. Nobody then sits in a parked car, for a
    // later pickup or for a drop-off window to open, where the stretch could have started
    // later: a wait a carrier bills (`cost_per_loaded_wait`) and settlement does not expect
    // (it times a stretch as driven, delivering on arrival).
    void shorten_waits_on_board(const std::vector<int>& seq) {
        const int m = n_ - 2;
        int aboard = 0;  // on board when leaving position p - 1
        for (int j = 1; j <= m; ++j) {
            const bool starts = aboard == 0 && is_pickup(seq[j - 1]);
            aboard += is_pickup(seq[j - 1]) ? 1 : -1;
            if (!starts) continue;
            double waits = 0.0;
            for (int p = j + 1, on = aboard; p <= m && on > 0; ++p) {
                waits += w_[p];
                on += is_pickup(seq[p - 1]) ? 1 : -1;
            }
            delay(j, std::min(slack(j), waits));
        }
    }

    // Delay pickups up to `last` (the last one of an over-long ride) until no ride is too
    // long; false when that cannot be done. First only the pickups of rides too long, each
    // by its excess: the least change, which leaves everyone else's ride as it was. Where
    // that does not suffice, every pickup up to `last` as far as its slack and the waits
    // after it allow (Cordeau & Laporte 2003), which frees room for later ones but can
    // make a passenger already on board wait in the car for nothing: a traveller with no
    // ride limit rode 40 min longer, and a vehicle paid for waiting cost 6 % more, when a
    // later passenger's ride was the only one too long.
    bool shorten_rides(const std::vector<int>& seq, int last) {
        saved_b_.assign(b_.begin(), b_.begin() + n_);
        saved_w_.assign(w_.begin(), w_.begin() + n_);
        for (int j = 1; j <= last; ++j) {
            if (!is_pickup(seq[j - 1])) continue;
            const int drop = partner_[j];
            const double excess = b_[drop] - (b_[j] + s_[j]) - limit_[drop];
            if (excess > kTol) delay(j, std::min(excess, delay_room(j)));
        }
        if (last_violated_pickup() == 0) return true;
        std::copy(saved_b_.begin(), saved_b_.end(), b_.begin());
        std::copy(saved_w_.begin(), saved_w_.end(), w_.begin());
        for (int j = 1; j <= last; ++j)
            if (is_pickup(seq[j - 1])) delay(j, delay_room(j));
        return last_violated_pickup() == 0;
    }

    // Start position j `by` later, and the stops after it as far as waits do not absorb it.
    void delay(int j, double by) {
        if (by <= 0.0) return;
        b_[j] += by;
        w_[j] += by;
        push(j);
    }

    // Position of the last pickup whose passenger rides too long, 0 when none does.
    int last_violated_pickup() const {
        int last = 0;
        for (int p = 1; p + 1 < n_; ++p) {
            const int pick = partner_[p];
            if (pick >= 0 && pick < p) {
                const double ride = b_[p] - (b_[pick] + s_[pick]);
                if (ride > limit_[p] + kTol) last = std::max(last, pick);
            }
        }
        return last;
    }

    const Instance& in_;
    int n_ = 0;
    std::vector<double> b_, w_, e_, l_, s_, tt_, limit_;
    std::vector<double> saved_b_, saved_w_;  // the schedule before shorten_rides tried the least change
    std::vector<int> lc_, partner_, pos_of_;
};

}  // namespace samfard
