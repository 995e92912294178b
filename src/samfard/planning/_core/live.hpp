// Live insertion: the day's routes kept between bookings, and the cheapest feasible
// insertion of one new request over every vehicle of the day.
//
// A booking desk inserts one request at a time into a plan that changes by one route per
// booking, so the routes and their caches (earliest and latest starts, loads, who is on
// board: plan.hpp) are kept here and only a changed route is scheduled again. Requests
// are added or changed in place (a promise narrows a pickup window), so the instance
// grows with the day instead of being rebuilt for each call.
#pragma once

#include <vector>

#include "instance.hpp"
#include "plan.hpp"

namespace samfard {

struct LiveBest {
    int v = -1;  // vehicle, -1 when no vehicle can take the request
    int i = -1;  // pickup after position i (0 is the start depot)
    int j = -1;  // drop-off after position j (j == i: right after the pickup)
    double delta = kInf;
};

class LiveDay {
public:
    explicit LiveDay(Instance& in)
        : in_(in), planner_(in), routes_(in.nveh()), broken_(in.nveh(), 0) {
        for (int v = 0; v < in.nveh(); ++v) {
            routes_[v].v = v;
            planner_.refresh(routes_[v]);
        }
    }

    // Set request r (new or changed): windows as the plan must meet them, promise applied.
    // The routes that carry it must be set again by the caller (their caches hold its window).
    void set_request(int r, const int* location, const double* early, const double* late,
                     const double* service, const int* load, double max_ride, uint8_t alone,
                     uint8_t front, uint8_t goods, uint64_t allowed) {
        Instance& in = in_;
        const int nd = in.ndim, nv = in.nveh();
        if (r >= in.nreq()) {
            const size_t n = static_cast<size_t>(r) + 1;
            in.loc.resize(2 * n, 0);
            in.early.resize(2 * n, 0.0);
            in.late.resize(2 * n, kInf);
            in.service.resize(2 * n, 0.0);
            in.load.resize(n * nd, 0);
            in.max_ride.resize(n, kInf);
            in.alone.resize(n, 0);
            in.front.resize(n, 0);
            in.goods.resize(n, 0);
            in.allowed.resize(n, 0);
            in.compatible.resize(n * nv, 0);
        }
        for (int k = 0; k < 2; ++k) {
            in.loc[2 * r + k] = location[k];
            in.early[2 * r + k] = early[k];
            in.late[2 * r + k] = late[k];
            in.service[2 * r + k] = service[k];
        }
        for (int k = 0; k < nd; ++k) in.load[static_cast<size_t>(r) * nd + k] = load[k];
        in.max_ride[r] = max_ride;
        in.alone[r] = alone;
        in.front[r] = front;
        in.goods[r] = goods;
        in.allowed[r] = allowed;
        for (int v = 0; v < nv; ++v)
            in.compatible[static_cast<size_t>(r) * nv + v] = in.compatible_with(r, v);
        in.tighten(r);
    }

    // The route of vehicle v (empty: unused); false when the core cannot schedule it, and
    // the vehicle then takes no new request (it still counts as used).
    bool set_route(int v, const std::vector<int>& nodes) {
        Route& r = routes_[v];
        r.seq = nodes;
        const bool ok = planner_.refresh(r);
        broken_[v] = ok ? 0 : 1;
        if (!ok) {
            r.seq.clear();
            planner_.refresh(r);
        }
        return ok;
    }

    // Cheapest feasible insertion of request q over every vehicle: routes in use, then one
    // unused vehicle per class (vehicles alike but for their id) while K allows one more;
    // the same candidates and the same bound-ordered search (cheapest_place) as the
    // planner's own insertions.
    LiveBest best(int q) {
        const std::vector<int> vehicles = insertion_candidates(in_, routes_, &broken_);
        const auto [v, ins] = cheapest_place(planner_, routes_, vehicles, q);
        if (v < 0) return LiveBest{};
        return LiveBest{v, ins.i, ins.j, ins.delta};
    }

private:
    Instance& in_;
    Planner planner_;
    std::vector<Route> routes_;
    std::vector<uint8_t> broken_;
};

}  // namespace samfard
