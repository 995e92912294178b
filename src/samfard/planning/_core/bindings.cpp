// Python face of the engine (nanobind): one Model per problem, built from flat arrays by
// samfard.planning.native_engine, with four calls: solve, each request's granular
// neighbours (for the tests), evaluate a route, and find the cheapest insertion of one
// request into one route (with the lower bound the repair ranks routes by); and one Live
// per day for live insertion (samfard.planning.native_insertion), which keeps the day's
// routes between bookings and finds the cheapest insertion of a new request over every
// vehicle. Both take their vehicles as one Fleet. The travel matrices are borrowed from
// the caller's numpy arrays without a copy. This is the only translation unit, so the
// whole engine compiles in one step.
#include <nanobind/nanobind.h>
#include <nanobind/ndarray.h>
#include <nanobind/stl/pair.h>
#include <nanobind/stl/string.h>
#include <nanobind/stl/tuple.h>
#include <nanobind/stl/vector.h>

#include <algorithm>
#include <memory>
#include <stdexcept>
#include <string>
#include <thread>
#include <tuple>
#include <utility>
#include <vector>

#include "instance.hpp"
#include "json_matrices.hpp"
#include "live.hpp"
#include "neighbours.hpp"
#include "plan.hpp"
#include "route.hpp"
#include "search.hpp"

namespace nb = nanobind;
using namespace nb::literals;

namespace {

using Narrow = nb::ndarray<const float, nb::ndim<2>, nb::c_contig, nb::device::cpu>;
using Wide = nb::ndarray<const double, nb::ndim<2>, nb::c_contig, nb::device::cpu>;

// A square travel matrix as the core reads it: the model's `TravelMatrix.array`, a
// C-contiguous numpy array of 32- or 64-bit floats, borrowed without a copy (never
// converted: a conversion would copy a day's matrices, hundreds of MB).
class SquareMatrix {
public:
    explicit SquareMatrix(nb::handle source) {
        size_t rows = 0, cols = 0;
        if (nb::try_cast<Narrow>(source, narrow_, false)) {
            rows = narrow_.shape(0);
            cols = narrow_.shape(1);
            view_.narrow = narrow_.data();
        } else if (nb::try_cast<Wide>(source, wide_, false)) {
            rows = wide_.shape(0);
            cols = wide_.shape(1);
            view_.wide = wide_.data();
        } else {
            throw std::invalid_argument("travel matrices must be C-contiguous float32 or float64 arrays");
        }
        if (rows != cols) throw std::invalid_argument("travel matrices must be square");
        n_ = rows;
    }
    size_t size() const { return n_; }
    samfard::TravelView view() const { return view_; }

private:
    Narrow narrow_;
    Wide wide_;
    samfard::TravelView view_;
    size_t n_ = 0;
};
// (vehicle, nodes, service start per node, departure, arrival at the end depot, cost)
using RouteOut = std::tuple<int, std::vector<int>, std::vector<double>, double, double, double>;

template <typename T>
void expect(const std::vector<T>& values, size_t n, const char* what) {
    if (values.size() != n)
        throw std::invalid_argument(std::string(what) + ": expected " + std::to_string(n) +
                                    " values, got " + std::to_string(values.size()));
}

// The vehicles and the objective's weights on them (already multiplied by the objective's
// weights), as samfard.planning.native_engine.core_fleet passes them, by keyword: built
// once, checked once, and copied into the Instance of a Model (a whole search) or a Live
// day (live insertion), so both read the same fields and price alike. The one place the
// fleet's fields are named on this side.
class Fleet {
public:
    explicit Fleet(const nb::kwargs& fields) {
        Taker take{fields};
        take("vehicle_type", vehicle_type);
        take("start", start);
        take("end", end);
        take("shift_early", shift_early);
        take("shift_late", shift_late);
        take("max_duration", max_duration);
        take("cost_distance", cost_distance);
        take("cost_time", cost_time);
        take("cost_fixed", cost_fixed);
        take("capacity", capacity);
        take("front_seats", front_seats);
        take("max_vehicles", max_vehicles);
        take("cost_pickup", cost_pickup);
        take("cost_transit", cost_transit);
        take("free_depot_legs", free_depot_legs);
        take("cost_stretch", cost_stretch);
        take("billed_when_loaded", billed_when_loaded);
        take("cost_wait", cost_wait);
        take.no_others();
        const size_t nv = start.size();
        for (auto* x : {&end, &front_seats, &vehicle_type}) expect(*x, nv, "vehicle field");
        for (auto* x : {&shift_early, &shift_late, &max_duration, &cost_distance, &cost_time,
                        &cost_fixed, &cost_pickup, &cost_transit, &cost_stretch, &cost_wait})
            expect(*x, nv, "vehicle field");
        expect(free_depot_legs, nv, "free_depot_legs");
        expect(billed_when_loaded, nv, "billed_when_loaded");
        for (int t : vehicle_type)
            if (t < 0 || t >= 64) throw std::invalid_argument("vehicle type out of range");
    }

    // Copy the fleet into `in`, whose matrices and load dimensions are set: the depots must
    // be locations of the matrices and the capacities one per dimension.
    void install(samfard::Instance& in) const {
        const size_t nv = start.size();
        expect(capacity, nv * static_cast<size_t>(in.ndim), "capacity");
        for (size_t v = 0; v < nv; ++v)
            if (start[v] < 0 || end[v] < 0 || start[v] >= in.nloc || end[v] >= in.nloc)
                throw std::invalid_argument("depot out of range");
        in.vtype = vehicle_type;
        in.start = start;
        in.end = end;
        in.shift_early = shift_early;
        in.shift_late = shift_late;
        in.max_duration = max_duration;
        in.cost_distance = cost_distance;
        in.cost_time = cost_time;
        in.cost_fixed = cost_fixed;
        in.capacity = capacity;
        in.front_seats = front_seats;
        in.max_vehicles = max_vehicles;
        in.cost_pickup = cost_pickup;
        in.cost_transit = cost_transit;
        in.free_depot = free_depot_legs;
        in.cost_stretch = cost_stretch;
        in.loaded_only = billed_when_loaded;
        in.cost_wait = cost_wait;
    }

private:
    // Reads keyword arguments by name; every field must be given, and nothing else.
    struct Taker {
        const nb::kwargs& fields;
        std::vector<std::string> names;  // the fields taken
        template <typename T>
        void operator()(const char* name, T& into) {
            if (!fields.contains(name))
                throw std::invalid_argument(std::string("fleet: missing ") + name);
            into = nb::cast<T>(fields[name]);
            names.emplace_back(name);
        }
        void no_others() const {
            for (auto [key, value] : fields) {
                const std::string name = nb::cast<std::string>(nb::str(key));
                if (std::find(names.begin(), names.end(), name) == names.end())
                    throw std::invalid_argument("fleet: unknown field " + name);
            }
        }
    };

    std::vector<int> vehicle_type, start, end;
    std::vector<double> shift_early, shift_late, max_duration;  // inf when unlimited
    std::vector<double> cost_distance, cost_time, cost_fixed;
    std::vector<int> capacity;  // nveh * ndim
    std::vector<int> front_seats;
    int max_vehicles = 0;
    std::vector<double> cost_pickup, cost_transit;
    std::vector<uint8_t> free_depot_legs;
    std::vector<double> cost_stretch;
    std::vector<uint8_t> billed_when_loaded;
    std::vector<double> cost_wait;
};

class Model {
public:
    Model(nb::object time, nb::object distance, int ndim, std::vector<int> node_location,
          std::vector<double> node_early, std::vector<double> node_late,
          std::vector<double> node_service, std::vector<int> load, std::vector<double> max_ride,
          std::vector<uint8_t> ride_alone, std::vector<uint8_t> front_seat,
          std::vector<uint8_t> goods, std::vector<uint64_t> allowed, const Fleet& fleet)
        : time_(std::move(time)), distance_(std::move(distance)) {
        const size_t nloc = time_.size();
        if (distance_.size() != nloc)
            throw std::invalid_argument("time and distance must be square and the same size");
        const size_t nr = max_ride.size(), nd = static_cast<size_t>(ndim);
        expect(node_location, 2 * nr, "node_location");
        expect(node_early, 2 * nr, "node_early");
        expect(node_late, 2 * nr, "node_late");
        expect(node_service, 2 * nr, "node_service");
        expect(load, nr * nd, "load");
        expect(ride_alone, nr, "ride_alone");
        expect(front_seat, nr, "front_seat");
        expect(goods, nr, "goods");
        expect(allowed, nr, "allowed");
        for (int l : node_location)
            if (l < 0 || static_cast<size_t>(l) >= nloc) throw std::invalid_argument("location out of range");
        in_.nloc = static_cast<int>(nloc);
        in_.time = time_.view();
        in_.distance = distance_.view();
        in_.ndim = ndim;
        fleet.install(in_);
        in_.loc = std::move(node_location);
        in_.early = std::move(node_early);
        in_.late = std::move(node_late);
        in_.service = std::move(node_service);
        in_.load = std::move(load);
        in_.max_ride = std::move(max_ride);
        in_.alone = std::move(ride_alone);
        in_.front = std::move(front_seat);
        in_.goods = std::move(goods);
        in_.allowed = std::move(allowed);
        in_.fill_compatible();
        in_.classify();
        in_.check_metric();
        for (int r = 0; r < in_.nreq(); ++r) in_.tighten(r);
    }

    // The search, on `threads` threads as independent runs (seeds seed, seed + 1, ...):
    // the plan serving most requests, then cheapest, wins; ties go to the lowest seed, so
    // with an iteration limit the answer is still fixed by the seed.
    std::tuple<std::vector<RouteOut>, int64_t, double> solve(
        const std::vector<std::pair<int, std::vector<int>>>& initial, uint64_t seed,
        int64_t iterations, double seconds, double start_worse, double end_ratio,
        int max_remove, bool cpu_clock, int threads) {
        if (threads < 1) throw std::invalid_argument("threads must be at least 1");
        std::vector<RouteOut> out;
        std::vector<samfard::Stats> stats(threads);
        std::vector<std::vector<samfard::Route>> found(threads);
        {
            nb::gil_scoped_release release;
            auto run = [&](int k) {
                samfard::Settings settings;
                settings.seed = seed + static_cast<uint64_t>(k);
                settings.iterations = iterations;
                settings.seconds = seconds;
                settings.start_worse = start_worse;
                settings.end_ratio = end_ratio;
                settings.max_remove = max_remove;
                settings.cpu_clock = cpu_clock;
                samfard::Search search(in_, settings);
                search.seed_routes(initial);
                stats[k] = search.run();
                found[k] = search.routes();
            };
            std::vector<std::thread> pool;
            for (int k = 1; k < threads; ++k) pool.emplace_back(run, k);
            run(0);
            for (std::thread& t : pool) t.join();
        }
        int best = 0;
        auto score = [&](int k) {
            int served = 0;
            double cost = 0.0;
            for (const samfard::Route& r : found[k]) {
                if (r.empty()) continue;
                served += static_cast<int>(r.seq.size()) / 2;
                cost += r.sch.cost;
            }
            return std::make_pair(-served, cost);
        };
        for (int k = 1; k < threads; ++k)
            if (score(k) < score(best)) best = k;
        int64_t iterations_done = 0;
        for (const samfard::Stats& s : stats) iterations_done += s.iterations;
        samfard::Planner planner(in_);
        for (samfard::Route& r : found[best]) {
            if (r.empty()) continue;
            planner.settle(r);
            out.emplace_back(r.v, r.seq, r.sch.times, r.sch.depart, r.sch.arrive, r.sch.cost);
        }
        return {std::move(out), iterations_done, stats[0].seconds};
    }

    // Each request's `count` most related requests (neighbours.hpp), as the search uses them.
    std::vector<std::vector<int>> neighbours(int count) const {
        if (count < 0) throw std::invalid_argument("count must be >= 0");
        return samfard::granular_neighbours(in_, count);
    }

    // Schedule a node sequence on a vehicle: (feasible, cost, times, departure, arrival).
    std::tuple<bool, double, std::vector<double>, double, double> evaluate(
        int vehicle, const std::vector<int>& nodes) {
        check_vehicle(vehicle);
        check_nodes(nodes);
        samfard::Planner planner(in_);
        samfard::Route r;
        r.v = vehicle;
        r.seq = nodes;
        if (!planner.refresh(r)) return {false, 0.0, {}, 0.0, 0.0};
        planner.settle(r);
        return {true, r.sch.cost, r.sch.times, r.sch.depart, r.sch.arrive};
    }

    // Cheapest insertion of `request` into the route: (found, cost increase, new route).
    // The bound the repair ranks routes by comes last (inf: no position passes the screens);
    // the insertion is found as the repair finds it, the bound's position tried first.
    std::tuple<bool, double, RouteOut, double> insert(int vehicle, const std::vector<int>& nodes,
                                                      int request) {
        check_vehicle(vehicle);
        check_nodes(nodes);
        if (request < 0 || request >= in_.nreq()) throw std::invalid_argument("request out of range");
        samfard::Planner planner(in_);
        samfard::Route r;
        r.v = vehicle;
        r.seq = nodes;
        const RouteOut none{vehicle, {}, {}, 0.0, 0.0, 0.0};
        if (!planner.refresh(r)) return {false, 0.0, none, samfard::kInf};
        const samfard::Bound bound = planner.insertion_bound(r, request);
        const samfard::Insertion ins = planner.best_insertion(r, request, samfard::kInf, &bound);
        if (!ins.found() || !planner.apply(r, request, ins)) return {false, 0.0, none, bound.least};
        planner.settle(r);
        return {true, ins.delta, RouteOut{vehicle, r.seq, r.sch.times, r.sch.depart, r.sch.arrive, r.sch.cost},
                bound.least};
    }

private:
    void check_vehicle(int v) const {
        if (v < 0 || v >= in_.nveh()) throw std::invalid_argument("vehicle out of range");
    }
    void check_nodes(const std::vector<int>& nodes) const {
        for (int n : nodes)
            if (n < 0 || n >= 2 * in_.nreq()) throw std::invalid_argument("node out of range");
    }

    SquareMatrix time_, distance_;
    samfard::Instance in_;
};


// The day's plan held between live insertions: vehicles fixed at construction, requests
// added or changed with set_request, routes replaced with set_route, and best(request).
class Live {
public:
    Live(nb::object time, nb::object distance, int ndim, const Fleet& fleet)
        : time_(std::move(time)), distance_(std::move(distance)) {
        if (distance_.size() != time_.size())
            throw std::invalid_argument("time and distance must be square and the same size");
        in_.nloc = static_cast<int>(time_.size());
        in_.time = time_.view();
        in_.distance = distance_.view();
        in_.ndim = ndim;
        fleet.install(in_);
        in_.check_metric();
        in_.classify();  // no requests yet: vehicles alike in every field share a class
        day_ = std::make_unique<samfard::LiveDay>(in_);
    }

    // Requests `index[k]` (new or changed), with the same per-node and per-request layout
    // as Model's arrays.
    void set_requests(const std::vector<int>& index, const std::vector<int>& node_location,
                      const std::vector<double>& node_early, const std::vector<double>& node_late,
                      const std::vector<double>& node_service, const std::vector<int>& load,
                      const std::vector<double>& max_ride, const std::vector<uint8_t>& ride_alone,
                      const std::vector<uint8_t>& front_seat, const std::vector<uint8_t>& goods,
                      const std::vector<uint64_t>& allowed) {
        const size_t n = index.size(), nd = static_cast<size_t>(in_.ndim);
        expect(node_location, 2 * n, "node_location");
        expect(node_early, 2 * n, "node_early");
        expect(node_late, 2 * n, "node_late");
        expect(node_service, 2 * n, "node_service");
        expect(load, n * nd, "load");
        expect(max_ride, n, "max_ride");
        expect(ride_alone, n, "ride_alone");
        expect(front_seat, n, "front_seat");
        expect(goods, n, "goods");
        expect(allowed, n, "allowed");
        for (size_t k = 0; k < n; ++k) {
            if (index[k] < 0) throw std::invalid_argument("request index out of range");
            for (int e = 0; e < 2; ++e) {
                const int l = node_location[2 * k + e];
                if (l < 0 || l >= in_.nloc) throw std::invalid_argument("location out of range");
            }
        }
        for (size_t k = 0; k < n; ++k)
            day_->set_request(index[k], &node_location[2 * k], &node_early[2 * k],
                              &node_late[2 * k], &node_service[2 * k], &load[k * nd],
                              max_ride[k], ride_alone[k], front_seat[k], goods[k],
                              allowed[k]);
    }

    bool set_route(int vehicle, const std::vector<int>& nodes) {
        if (vehicle < 0 || vehicle >= in_.nveh()) throw std::invalid_argument("vehicle out of range");
        for (int n : nodes)
            if (n < 0 || n >= 2 * in_.nreq()) throw std::invalid_argument("node out of range");
        return day_->set_route(vehicle, nodes);
    }

    // (vehicle, i, j, cost increase); vehicle -1 when nothing fits.
    std::tuple<int, int, int, double> best(int request) {
        if (request < 0 || request >= in_.nreq()) throw std::invalid_argument("request out of range");
        samfard::LiveBest b;
        {
            nb::gil_scoped_release release;
            b = day_->best(request);
        }
        return {b.v, b.i, b.j, b.delta};
    }

private:
    SquareMatrix time_, distance_;
    samfard::Instance in_;
    std::unique_ptr<samfard::LiveDay> day_;
};

// A problem file's travel matrices read into arrays as the file is fed in chunks
// (`samfard.planning.jsonio.read_problem`), and the rest of the document for json.
class Splitter {
public:
    explicit Splitter(std::vector<std::string> keys) : splitter_(std::move(keys)) {}

    void feed(nb::bytes chunk) {
        const char* data = chunk.c_str();
        const size_t size = chunk.size();
        nb::gil_scoped_release released;
        splitter_.feed(data, size);
    }

    // The document without the matrices, once it is all fed.
    nb::bytes finish() {
        splitter_.finish();
        return nb::bytes(splitter_.rest.data(), splitter_.rest.size());
    }

    // Each matrix read, by its key, as a numpy array that owns its data: float32 when
    // every value is exact in 32 bits (as the model would store it), float64 otherwise.
    std::vector<std::pair<std::string, nb::object>> matrices() {
        std::vector<std::pair<std::string, nb::object>> out;
        for (samfard::ParsedMatrix& m : splitter_.matrices)
            out.emplace_back(m.name, m.is_wide ? owned(std::move(m.wide), m.rows) : owned(std::move(m.narrow), m.rows));
        splitter_.matrices.clear();
        return out;
    }

private:
    template <typename T>
    static nb::object owned(std::vector<T>&& values, size_t n) {
        auto* heap = new std::vector<T>(std::move(values));
        nb::capsule owner(heap, [](void* p) noexcept { delete static_cast<std::vector<T>*>(p); });
        return nb::cast(nb::ndarray<nb::numpy, T, nb::ndim<2>, nb::c_contig>(heap->data(), {n, n}, owner));
    }

    samfard::MatrixSplitter splitter_;
};

}  // namespace

NB_MODULE(_engine, m) {
    m.doc() = "Samfard's dial-a-ride engine (C++): ALNS over routes with exact scheduling.";
    nb::class_<Splitter>(m, "Splitter")
        .def(nb::init<std::vector<std::string>>(), "keys"_a)
        .def("feed", &Splitter::feed, "chunk"_a)
        .def("finish", &Splitter::finish)
        .def("matrices", &Splitter::matrices);
    nb::class_<Fleet>(m, "Fleet")
        .def("__init__", [](Fleet* self, const nb::kwargs& fields) { new (self) Fleet(fields); });
    nb::class_<Model>(m, "Model")
        .def(nb::init<nb::object, nb::object, int, std::vector<int>, std::vector<double>, std::vector<double>,
                      std::vector<double>, std::vector<int>, std::vector<double>, std::vector<uint8_t>,
                      std::vector<uint8_t>, std::vector<uint8_t>, std::vector<uint64_t>, const Fleet&>(),
             "time"_a, "distance"_a, "ndim"_a, "node_location"_a, "node_early"_a,
             "node_late"_a, "node_service"_a, "load"_a, "max_ride"_a, "ride_alone"_a,
             "front_seat"_a, "goods"_a, "allowed"_a, "fleet"_a)
        .def("solve", &Model::solve, "initial"_a, "seed"_a, "iterations"_a, "seconds"_a,
             "start_worse"_a = 0.03, "end_ratio"_a = 0.01, "max_remove"_a = 60,
             "cpu_clock"_a = false, "threads"_a = 1)
        .def("neighbours", &Model::neighbours, "count"_a)
        .def("evaluate", &Model::evaluate, "vehicle"_a, "nodes"_a)
        .def("insert", &Model::insert, "vehicle"_a, "nodes"_a, "request"_a);
    nb::class_<Live>(m, "Live")
        .def(nb::init<nb::object, nb::object, int, const Fleet&>(), "time"_a, "distance"_a,
             "ndim"_a, "fleet"_a)
        .def("set_requests", &Live::set_requests, "index"_a, "node_location"_a, "node_early"_a,
             "node_late"_a, "node_service"_a, "load"_a, "max_ride"_a, "ride_alone"_a,
             "front_seat"_a, "goods"_a, "allowed"_a)
        .def("set_route", &Live::set_route, "vehicle"_a, "nodes"_a)
        .def("best", &Live::best, "request"_a);
}
