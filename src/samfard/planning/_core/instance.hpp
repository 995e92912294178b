// The dial-a-ride instance as flat arrays, built once per solve from the Python Problem.
//
// Request r has two nodes: 2r (pickup) and 2r+1 (drop-off). Travel matrices are views of
// the caller's row-major numpy arrays (no copy), 32- or 64-bit floats (`TravelView`); the
// Python object keeps them alive for the whole solve. Windows are the ones the plan must
// meet (a promised pickup already narrows the pickup window on the Python side).
#pragma once

#include <algorithm>
#include <cstddef>
#include <cstdint>
#include <limits>
#include <vector>

namespace samfard {

// The matrix lookups, the arc prices and insertion's small helpers run in the innermost
// loops of insertion and scheduling, where gcc at -O2 left them out of line (a profile put
// a third of the search's time in those calls).
#if defined(__GNUC__)
#define SAMFARD_HOT __attribute__((always_inline)) inline
#define SAMFARD_HOT_LAMBDA __attribute__((always_inline))
#else
#define SAMFARD_HOT inline
#define SAMFARD_HOT_LAMBDA
#endif

constexpr double kInf = std::numeric_limits<double>::infinity();

// Slack used in every time comparison; the Python verifier allows 1e-6.
constexpr double kTol = 1e-7;

// A square, row-major travel matrix borrowed from Python: 32-bit floats when every value
// is exact in them (whole seconds and metres: half the memory of a day with thousands of
// addresses), 64-bit otherwise (Euclidean benchmark instances). Which one is fixed for the
// whole solve, so the branch is always predicted.
struct TravelView {
    const float* narrow = nullptr;
    const double* wide = nullptr;
    SAMFARD_HOT double operator[](size_t k) const { return narrow ? static_cast<double>(narrow[k]) : wide[k]; }
};

struct Instance {
    int nloc = 0;
    TravelView time, distance;  // nloc * nloc, row-major
    int ndim = 0;

    // Per node (2 per request).
    std::vector<int> loc;
    std::vector<double> early, late, service;
    // The windows tightened by the ride limit (Cordeau 2006): a pickup no earlier than the
    // drop-off's window opens less the ride limit, a drop-off no later than the pickup's
    // closes plus it; and, when the matrices keep the triangle inequality (`metric`), by
    // the direct trip: a pickup no later than the drop-off's window closes less the direct
    // trip, a drop-off no earlier than the pickup's opens plus it. Every feasible schedule
    // keeps them. The screens and the route caches read them, the scheduler the given
    // windows.
    std::vector<double> screen_early, screen_late;
    // Whether no way through a third location is shorter, in time or in distance, than the
    // direct one (check_metric).
    bool metric = false;
    // Per request.
    std::vector<int> load;          // nreq * ndim
    std::vector<double> max_ride;   // kInf when unlimited
    std::vector<uint8_t> alone, front;
    // 1 for a consignment of goods: nobody rides with it, so a ride-alone traveller
    // allows it on board (the ride-alone rule counts passengers only).
    std::vector<uint8_t> goods;
    std::vector<uint8_t> compatible;  // nreq * nveh: type allowed and load fits
    std::vector<uint64_t> allowed;    // per request: bit t set when vehicle type t may carry it

    // Per vehicle.
    std::vector<int> start, end, front_seats, vclass;
    std::vector<int> vtype;  // index of the vehicle's type (bit in `allowed`)
    std::vector<double> shift_early, shift_late, max_duration;  // kInf when unlimited
    std::vector<double> cost_distance, cost_time, cost_fixed;   // objective weights applied
    std::vector<double> cost_pickup, cost_transit;  // per pickup; per service + travel time
    std::vector<uint8_t> free_depot;                // depot legs cost no distance or transit
    std::vector<double> cost_stretch;               // per pickup into an empty vehicle
    std::vector<uint8_t> loaded_only;               // only loaded arcs cost distance or transit
    std::vector<double> cost_wait;                  // per time unit at a pickup, someone on board
    std::vector<int> capacity;                                   // nveh * ndim
    int max_vehicles = 0;

    int nreq() const { return static_cast<int>(max_ride.size()); }
    int nveh() const { return static_cast<int>(start.size()); }
    SAMFARD_HOT double t(int a, int b) const { return time[static_cast<size_t>(a) * nloc + b]; }
    SAMFARD_HOT double d(int a, int b) const { return distance[static_cast<size_t>(a) * nloc + b]; }
    SAMFARD_HOT bool ok(int r, int v) const { return compatible[static_cast<size_t>(r) * nveh() + v] != 0; }

    // What vehicle v pays to leave location a (after `service` there) for b with someone
    // on board or not (`loaded`), as samfard.planning.model.arc_cost: distance and transit
    // time (free on depot legs, or on empty drives, for vehicles that say so), the fee when
    // b is a pickup and the stretch fee when it boards an empty vehicle. Independent of
    // the schedule.
    SAMFARD_HOT double arc(int v, int a, int b, double service, bool from_depot, bool to_depot,
               bool to_pickup, bool loaded) const {
        const double fee = to_pickup ? cost_pickup[v] + (loaded ? 0.0 : cost_stretch[v]) : 0.0;
        if ((free_depot[v] && (from_depot || to_depot)) || (loaded_only[v] && !loaded)) return fee;
        return fee + cost_distance[v] * d(a, b) + cost_transit[v] * (service + t(a, b));
    }

    // Whether an arc's cost depends on the load (stretch fees or billing when loaded).
    bool priced_by_load(int v) const { return loaded_only[v] != 0 || cost_stretch[v] != 0.0; }

    // Whether vehicle v may carry request r (as Request.allows and Request.fits): its type
    // is allowed, the load fits the capacity in every dimension, a front seat if needed.
    uint8_t compatible_with(int r, int v) const {
        if (((allowed[r] >> vtype[v]) & 1u) == 0) return 0;
        for (int k = 0; k < ndim; ++k)
            if (load[static_cast<size_t>(r) * ndim + k] > capacity[static_cast<size_t>(v) * ndim + k])
                return 0;
        return (front[r] == 0 || front_seats[v] >= 1) ? 1 : 0;
    }

    // Fill `compatible` from `allowed`, the loads and the vehicles (once per model).
    void fill_compatible() {
        const int nr = nreq(), nv = nveh();
        compatible.assign(static_cast<size_t>(nr) * nv, 0);
        for (int r = 0; r < nr; ++r)
            for (int v = 0; v < nv; ++v) compatible[static_cast<size_t>(r) * nv + v] = compatible_with(r, v);
    }

    // Fill screen_early and screen_late of request r from its windows, service, ride limit
    // and direct trip.
    void tighten(int r) {
        const size_t n = early.size();
        if (screen_early.size() != n) {
            screen_early.resize(n, 0.0);
            screen_late.resize(n, kInf);
        }
        const int u = 2 * r, w = 2 * r + 1;
        const double ride = max_ride[r];
        // Without the triangle inequality a way through other stops may beat the direct trip.
        const double direct = metric ? t(loc[u], loc[w]) : 0.0;
        screen_early[u] = std::max(early[u], early[w] - service[u] - ride);
        screen_late[u] = std::min(late[u], late[w] - service[u] - direct);
        screen_early[w] = std::max(early[w], early[u] + service[u] + direct);
        screen_late[w] = std::min(late[w], late[u] + service[u] + ride);
    }

    // Set `metric`, checked for matrices of up to kMetricCheck locations (cubic time: at
    // most 2 * 4 * 10^8 steps, and a matrix rounded to whole seconds or metres, which often
    // misses the triangle inequality by one, usually fails within its first rows); larger
    // ones count as not metric.
    static constexpr int kMetricCheck = 750;
    void check_metric() {
        metric = nloc <= kMetricCheck && keeps_triangle(time) && keeps_triangle(distance);
    }

private:
    bool keeps_triangle(const TravelView& m) const {
        return m.narrow ? keeps_triangle(m.narrow, nloc) : keeps_triangle(m.wide, nloc);
    }

    template <typename T>
    static bool keeps_triangle(const T* m, int nloc) {
        for (int b = 0; b < nloc; ++b)
            for (int a = 0; a < nloc; ++a) {
                const double ab = m[static_cast<size_t>(a) * nloc + b];
                const T* from_b = m + static_cast<size_t>(b) * nloc;
                const T* from_a = m + static_cast<size_t>(a) * nloc;
                bool ok = true;
                for (int c = 0; c < nloc; ++c)
                    ok &= ab + static_cast<double>(from_b[c]) >= static_cast<double>(from_a[c]) - kTol;
                if (!ok) return false;
            }
        return true;
    }

public:
    // Vehicles that are interchangeable when empty share a class, so an insertion into an
    // empty vehicle is evaluated once per class rather than once per vehicle.
    void classify() {
        const int nv = nveh();
        vclass.assign(nv, -1);
        int next = 0;
        for (int v = 0; v < nv; ++v) {
            if (vclass[v] >= 0) continue;
            vclass[v] = next;
            for (int w = v + 1; w < nv; ++w) {
                if (vclass[w] < 0 && same(v, w)) vclass[w] = next;
            }
            ++next;
        }
    }

private:
    bool same(int v, int w) const {
        if (vtype[v] != vtype[w] || start[v] != start[w] || end[v] != end[w] || front_seats[v] != front_seats[w] ||
            shift_early[v] != shift_early[w] || shift_late[v] != shift_late[w] ||
            max_duration[v] != max_duration[w] || cost_distance[v] != cost_distance[w] ||
            cost_time[v] != cost_time[w] || cost_fixed[v] != cost_fixed[w] ||
            cost_pickup[v] != cost_pickup[w] || cost_transit[v] != cost_transit[w] ||
            free_depot[v] != free_depot[w] || cost_stretch[v] != cost_stretch[w] ||
            loaded_only[v] != loaded_only[w] || cost_wait[v] != cost_wait[w])
            return false;
        for (int k = 0; k < ndim; ++k)
            if (capacity[v * ndim + k] != capacity[w * ndim + k]) return false;
        for (int r = 0; r < nreq(); ++r)
            if (ok(r, v) != ok(r, w)) return false;
        return true;
    }
};

inline int request_of(int node) { return node >> 1; }
inline bool is_pickup(int node) { return (node & 1) == 0; }

}  // namespace samfard
