// Granular neighbour lists: for each request the requests nearest to it in place and time.
// Related and string removal, the pair moves' partners and the tail exchange's pairs of
// routes look only there (search.hpp, pairs.hpp, tails.hpp), so their cost does not grow
// with the day.
#pragma once

#include <algorithm>
#include <cmath>
#include <utility>
#include <vector>

#include "instance.hpp"

namespace samfard {

// When a stop happens, as well as the windows tell: the middle of its window tightened by
// the ride limit and the direct trip (Instance::tighten). A request often has only one
// window of its own (an appointment's drop-off, a return's pickup) and the whole day at
// the other end, so the given windows would set an appointment trip and a return trip of
// the same hour a day apart.
inline double stop_time(const Instance& in, int node) {
    const double lo = in.screen_early[node], hi = in.screen_late[node];
    return hi >= kInf ? lo : 0.5 * (lo + hi);
}

// Two requests are related when their pickups are near each other in place and time, and
// so are their drop-offs (travel time and difference of stop times, in the same unit).
inline double relatedness(const Instance& in, int a, int b) {
    const int pa = 2 * a, pb = 2 * b;
    return in.t(in.loc[pa], in.loc[pb]) + in.t(in.loc[pa + 1], in.loc[pb + 1]) +
           std::abs(stop_time(in, pa) - stop_time(in, pb)) +
           std::abs(stop_time(in, pa + 1) - stop_time(in, pb + 1));
}

// Each request's `count` most related other requests, most related first.
inline std::vector<std::vector<int>> granular_neighbours(const Instance& in, int count) {
    const int nr = in.nreq();
    const int k = std::min(count, std::max(0, nr - 1));
    std::vector<std::vector<int>> out(nr);
    std::vector<std::pair<double, int>> all;
    for (int a = 0; a < nr; ++a) {
        all.clear();
        for (int b = 0; b < nr; ++b)
            if (b != a) all.emplace_back(relatedness(in, a, b), b);
        std::partial_sort(all.begin(), all.begin() + k, all.end());
        out[a].reserve(k);
        for (int h = 0; h < k; ++h) out[a].push_back(all[h].second);
    }
    return out;
}

}  // namespace samfard
