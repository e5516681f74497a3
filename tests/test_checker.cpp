// The generic explorer on toy models whose state graphs can be counted by hand.
#include <boost/test/unit_test.hpp>

#include <algorithm>
#include <array>
#include <atomic>
#include <cstddef>
#include <cstdint>
#include <optional>
#include <ostream>
#include <string>
#include <utility>
#include <vector>

#include "checker/explore.hpp"
#include "checker/batch_set.hpp"
#include "checker/fingerprint_table.hpp"
#include "checker/position_table.hpp"

namespace {

namespace checker = alertflow::checker;
using checker::Check;
using checker::PropertyKind;
using checker::Verdict;

// Two counters, each counting up to `size`. With `jump`, x may also grow by two at once, so a
// state can be reached by paths of different lengths; Jump comes last in the action order.
struct Grid {
    struct State {
        std::uint32_t x;
        std::uint32_t y;
        friend bool operator==(const State&, const State&) = default;
    };
    enum class Action : std::uint8_t { IncX, IncY, Jump };

    std::uint32_t size = 3;
    bool jump = false;
    std::vector<State> starts{{0, 0}};

    const std::vector<State>& initial_states() const { return starts; }
    template <class Visit>
    void for_each_successor(const State& s, Visit&& visit) const {
        if (s.x < size) visit(Action::IncX, State{s.x + 1, s.y});
        if (s.y < size) visit(Action::IncY, State{s.x, s.y + 1});
        if (jump && s.x + 2 <= size) visit(Action::Jump, State{s.x + 2, s.y});
    }
    bool is_fair(Action) const { return true; }
    std::uint64_t progress(const State& s) const { return s.x + s.y; }
};

// Grid that sets `interrupt` (as a SIGINT handler would) once it has expanded `after` states:
// a Ctrl-C in the middle of a search, at a point that does not depend on the machine's speed.
struct InterruptedGrid : Grid {
    std::atomic<bool>* interrupt;
    std::atomic<std::uint64_t>* expanded;
    std::uint64_t after;

    template <class Visit>
    void for_each_successor(const State& s, Visit&& visit) const {
        if (expanded->fetch_add(1) + 1 == after) interrupt->store(true);
        Grid::for_each_successor(s, visit);
    }
};

std::ostream& operator<<(std::ostream& os, const Grid::State& s) { return os << '(' << s.x << ',' << s.y << ')'; }
std::ostream& operator<<(std::ostream& os, const std::optional<Grid::State>& s) {
    return s ? os << *s : os << "nullopt";
}
std::ostream& operator<<(std::ostream& os, Grid::Action a) {
    return os << std::array{"IncX", "IncY", "Jump"}[static_cast<int>(a)];
}

// An alert is delivered, then an incident is created; a note may be added any time after
// delivery. Adding a note is never fair (it may never happen); creating the incident may be.
struct Delivery {
    struct State {
        std::uint8_t delivered;
        std::uint8_t incident;
        std::uint8_t noted;
    };
    enum class Action : std::uint8_t { Deliver, CreateIncident, AddNote };

    bool incident_is_fair = true;

    std::array<State, 1> initial_states() const { return {State{0, 0, 0}}; }
    template <class Visit>
    void for_each_successor(const State& s, Visit&& visit) const {
        if (!s.delivered) visit(Action::Deliver, State{1, s.incident, s.noted});
        if (s.delivered && !s.incident) visit(Action::CreateIncident, State{1, 1, s.noted});
        if (s.delivered && !s.noted) visit(Action::AddNote, State{1, s.incident, 1});
    }
    bool is_fair(Action a) const {
        return a == Action::Deliver || (a == Action::CreateIncident && incident_is_fair);
    }
    std::uint64_t progress(const State& s) const { return s.delivered + s.incident + s.noted; }
};

std::ostream& operator<<(std::ostream& os, Delivery::Action a) {
    return os << std::array{"Deliver", "CreateIncident", "AddNote"}[static_cast<int>(a)];
}

// A switch that can be flipped back and forth forever and, if breakable, broken from On for
// good. Its progress measure cannot grow along the cycle Off -> On -> Off.
struct Switch {
    enum class State : std::uint8_t { Off, On, Broken };
    enum class Action : std::uint8_t { Flip, Break };

    bool breakable = false;

    std::array<State, 1> initial_states() const { return {State::Off}; }
    template <class Visit>
    void for_each_successor(State s, Visit&& visit) const {
        if (s != State::Broken) visit(Action::Flip, s == State::Off ? State::On : State::Off);
        if (s == State::On && breakable) visit(Action::Break, State::Broken);
    }
    bool is_fair(Action) const { return true; }
    std::uint64_t progress(State s) const { return s == State::Broken ? 1 : 0; }
};

std::ostream& operator<<(std::ostream& os, Switch::Action a) {
    return os << std::array{"Flip", "Break"}[static_cast<int>(a)];
}

// Two paths to one state, 0 -> 1 -> 3 and 0 -> 2 -> 3, with no cycle, but a measure that falls
// on the second path's last step (5 to 3), which arrives at a state its batch made before.
struct Diamond {
    using State = std::uint8_t;
    using Action = std::uint8_t;  // the state it leads to
    std::array<State, 1> initial_states() const { return {0}; }
    template <class Visit>
    void for_each_successor(State s, Visit&& visit) const {
        if (s == 0) visit(1, 1), visit(2, 2);
        if (s == 1 || s == 2) visit(3, 3);
    }
    bool is_fair(Action) const { return true; }
    std::uint64_t progress(State s) const { return std::array{0, 1, 5, 3}[s]; }
};

// Like Grid, but its state has padding bytes, so it cannot be hashed by its bytes.
struct PaddedGrid : Grid {
    struct State {
        std::uint8_t x;
        std::uint32_t y;
    };
    std::array<State, 1> initial_states() const { return {State{0, 0}}; }
    template <class Visit>
    void for_each_successor(const State&, Visit&&) const {}
    std::uint64_t progress(const State&) const { return 0; }
};

// Grid whose y counter a slice leaves out when no check reads it (facts: x is bit 1, y bit 2).
// With `slice_size_x` the slice lies: its x counts further than the model's.
struct SliceableGrid : Grid {
    static constexpr std::uint32_t reads_x = 1, reads_y = 2;
    bool has_y = true;
    std::uint32_t slice_size_x = 0;  // 0: as far as the model's

    template <class Visit>
    void for_each_successor(const State& s, Visit&& visit) const {
        if (s.x < (has_y || slice_size_x == 0 ? size : slice_size_x)) visit(Action::IncX, State{s.x + 1, s.y});
        if (has_y && s.y < size) visit(Action::IncY, State{s.x, s.y + 1});
    }
    std::optional<SliceableGrid> sliced(std::uint32_t reads) const {
        if (!has_y || (reads & reads_y)) return std::nullopt;
        SliceableGrid slice = *this;
        slice.has_y = false;
        return slice;
    }
};

// Grid as two interchangeable counters that never meet: checks that are a fact about each counter
// get their verdict from x alone, so the cutoff is the grid without y. A check that may relate
// the counters (reads_both) gets none.
struct CutoffGrid : SliceableGrid {
    static constexpr std::uint32_t reads_both = 4;
    std::optional<CutoffGrid> cutoff(std::uint32_t reads) const {
        if (!has_y || (reads & reads_both)) return std::nullopt;
        CutoffGrid one = *this;
        one.has_y = false;
        return one;
    }
};

static_assert(checker::Model<Grid> && checker::Model<Delivery> && checker::Model<Switch>);
static_assert(checker::SliceableModel<SliceableGrid> && !checker::SliceableModel<Grid>);
static_assert(checker::CutoffModel<CutoffGrid> && !checker::CutoffModel<SliceableGrid>);
static_assert(!checker::Model<PaddedGrid>);  // its bytes do not determine its value

template <class State>
Check<State> invariant(std::string id, std::function<bool(const State&)> holds) {
    return {std::move(id), PropertyKind::Invariant, std::move(holds)};
}
template <class State>
Check<State> eventually(std::string id, std::function<bool(const State&)> holds) {
    return {std::move(id), PropertyKind::Eventually, std::move(holds)};
}

template <class Result>
std::vector<std::string> verdicts(const Result& result) {
    std::vector<std::string> names;
    for (const auto& check : result.checks) {
        names.push_back(std::array{"Holds", "Violated", "Unknown"}[static_cast<int>(check.verdict)]);
    }
    return names;
}

using GridState = Grid::State;

// Both hold on Grid{.size = size}.
std::vector<Check<GridState>> grid_checks(std::uint32_t size = 3) {
    return {
        invariant<GridState>("in-bounds", [size](const GridState& s) { return s.x <= size && s.y <= size; }),
        eventually<GridState>("reaches-corner", [size](const GridState& s) { return s.x == size && s.y == size; }),
    };
}

}  // namespace

BOOST_AUTO_TEST_SUITE(checker_bfs)

// The exact store's table: long probe chains (few home slots) and shared tags (few tag values)
// through several rebuilds, and every position still found, by its own state only.
BOOST_AUTO_TEST_CASE(position_table_finds_every_position_through_collisions_and_growth) {
    checker::detail::Arena arena;
    checker::detail::PositionTable table(arena);
    const auto hash_of = [](std::uint64_t p) { return (p % 5) << 61 | (p % 3) << 26; };  // the tag is taken from bit 26 up
    const std::uint64_t n = 5000;
    for (std::uint64_t p = 0; p < n; ++p) {
        BOOST_TEST(!table.find(hash_of(p), [&](std::uint64_t q) { return q == p; }));
        table.insert(p, hash_of(p), hash_of);
    }
    BOOST_TEST(table.bytes() >= n * 8 / 7 * sizeof(std::uint32_t));  // at most seven eighths full
    for (std::uint64_t p = 0; p < n; ++p) {
        BOOST_TEST((table.find(hash_of(p), [&](std::uint64_t q) { return q == p; }) == p), p);
        BOOST_TEST(!table.find(hash_of(p), [&](std::uint64_t q) { return q == p + n; }), p);
    }
    BOOST_TEST(*table.find(hash_of(7), [](std::uint64_t) { return true; }) % 15 == 7u);  // the same home and tag as 7
}

// The tag is every slot bit the position does not need (19 in a table of 2^13 slots), so a
// lookup compares a stored state only when all those bits of its hash agree, not just six.
BOOST_AUTO_TEST_CASE(position_table_compares_only_states_whose_whole_tag_agrees) {
    checker::detail::Arena arena;
    checker::detail::PositionTable table(arena);
    const auto hash_of = [](std::uint64_t p) { return (p % 5) << 61 | (p % 3) << 26 | (p % 4) << 40; };
    const std::uint64_t n = 5000;
    for (std::uint64_t p = 0; p < n; ++p) table.insert(p, hash_of(p), hash_of);
    std::uint64_t compared = 0, expected = 0;
    BOOST_TEST(!table.find(hash_of(7), [&](std::uint64_t) { return ++compared, false; }));
    for (std::uint64_t p = 0; p < n; ++p) expected += hash_of(p) == hash_of(7);
    BOOST_TEST(compared == expected);  // 84; a 6-bit tag compares the 333 that share bits 26..31
}

// A thread's set of the states made in a batch: a state made again is found where it was kept,
// told apart from others with the same hash by its bytes, through the table's rebuilds; a new
// batch starts empty.
BOOST_AUTO_TEST_CASE(batch_set_keeps_each_state_once_until_cleared) {
    checker::detail::BatchSet set(sizeof(std::uint64_t));
    const auto hash_of = [](std::uint64_t v) { return (v % 5) << 61 | (v % 3) << 26; };  // few homes and tags
    const auto find_or_keep = [&](std::uint64_t v) {
        std::memcpy(set.spot(), &v, sizeof v);
        return set.find_or_keep(hash_of(v));
    };
    const auto value_at = [&](std::size_t place) {
        std::uint64_t v;
        std::memcpy(&v, set[static_cast<checker::detail::BatchSet::Place>(place)], sizeof v);
        return v;
    };
    const std::uint64_t n = 3000;
    for (int batch = 0; batch < 2; ++batch) {
        for (std::uint64_t v = 0; v < n; ++v) {
            BOOST_TEST(!find_or_keep(v), v);  // new, though 14 in 15 of the states before it share its hash
            BOOST_TEST((find_or_keep(v) == v), v);
            BOOST_TEST((find_or_keep(v / 2) == v / 2), v);  // made earlier in the batch
        }
        BOOST_TEST(set.size() == n);
        for (std::uint64_t v = 0; v < n; ++v) BOOST_TEST(value_at(v) == v, v);  // kept where they were made
        set.clear();
        BOOST_TEST(set.size() == 0u);
    }
}

// A thread that goes back to earlier chunks of a batch starts a new run of its set: a state kept
// before is kept again (the storing phase then takes the earlier one in batch order), while the
// states kept since are found as before.
BOOST_AUTO_TEST_CASE(batch_set_finds_only_the_current_run_after_start_run) {
    checker::detail::BatchSet set(sizeof(std::uint64_t));
    const auto find_or_keep = [&](std::uint64_t v) {
        std::memcpy(set.spot(), &v, sizeof v);
        return set.find_or_keep(v << 40 | v % 7);  // distinct homes
    };
    for (std::uint64_t v = 0; v < 100; ++v) BOOST_TEST(!find_or_keep(v), v);
    set.start_run();
    for (std::uint64_t v = 50; v < 150; ++v) BOOST_TEST(!find_or_keep(v), v);                  // 50..99 kept again
    for (std::uint64_t v = 50; v < 150; ++v) BOOST_TEST((find_or_keep(v) == v + 50), v);      // at their new places
    BOOST_TEST(set.size() == 200u);
    set.clear();
    BOOST_TEST(!find_or_keep(0));
    BOOST_TEST((find_or_keep(0) == 0u));  // a new batch starts with one run
}

// Fingerprint mode's hash set: every hash added is found, through the table's growths, among
// hashes that share their home slots (a long run to probe), 0 (the empty slot's mark) among them;
// a hash not added is not found, though its home is taken.
BOOST_AUTO_TEST_CASE(fingerprint_table_finds_what_was_added_and_nothing_else) {
    checker::detail::Arena arena;
    checker::detail::FingerprintTable table(arena);
    const auto hash_of = [](std::uint64_t v) { return (v % 7) << 60 | v; };  // 7 homes at every size
    const std::uint64_t n = 5000;
    BOOST_TEST(!table.contains(0));
    for (std::uint64_t v = 0; v < n; ++v) {
        BOOST_TEST(!table.contains(hash_of(v)), v);
        table.insert(hash_of(v));
        BOOST_TEST(table.contains(hash_of(v)), v);
    }
    for (std::uint64_t v = 0; v < n; ++v) BOOST_TEST(table.contains(hash_of(v)), v);
    for (std::uint64_t v = n; v < 2 * n; ++v) BOOST_TEST(!table.contains(hash_of(v)), v);
    BOOST_TEST(table.bytes() == 8192u * sizeof(std::uint64_t));  // grown at 7/8 of 1024, 2048, 4096
}

// The store's arena: allocations aligned for a cache line (a huge page from 2 MiB) and apart from
// one another, also across mappings (the first is 32 MiB) and for one larger than a mapping;
// what is given back is handed out again before anything new.
BOOST_AUTO_TEST_CASE(arena_keeps_allocations_apart_and_reuses_what_is_given_back) {
    checker::detail::Arena arena;
    std::vector<std::pair<std::byte*, std::size_t>> taken;
    for (const std::size_t bytes : {std::size_t{100}, std::size_t{20} << 20, std::size_t{20} << 20, std::size_t{70} << 20, std::size_t{1}}) {
        std::byte* p = arena.allocate(bytes);
        BOOST_TEST(reinterpret_cast<std::uintptr_t>(p) % (bytes < checker::detail::Arena::huge_page ? 64 : checker::detail::Arena::huge_page) == 0u);
        std::fill_n(p, bytes, std::byte{0x5a});  // writable to the last byte
        for (const auto& [q, n] : taken) BOOST_TEST((p + bytes <= q || q + n <= p), bytes);
        taken.emplace_back(p, bytes);
    }
    // The last, small allocation goes into the gap left before the first large one by aligning it.
    BOOST_TEST((taken[0].first < taken[4].first && taken[4].first < taken[1].first));
    arena.release(taken[1].first, taken[1].second);
    const std::size_t three = std::size_t{3} << 20;  // more than the gaps left by aligning
    BOOST_TEST(arena.allocate(three) == taken[1].first);  // first fit, in what was given back
    std::byte* next = arena.allocate(three);  // the rest of it
    BOOST_TEST((next > taken[1].first && next < taken[1].first + taken[1].second));
}

// Slicing: a check that reads only x runs on the model without y; its counterexample is rerun
// on the model and, for an eventually-check, completed by the left-out fair work (y's steps).
BOOST_AUTO_TEST_CASE(slicing_explores_the_slice_and_carries_counterexamples_onto_the_model) {
    const SliceableGrid grid;
    auto not_done = eventually<GridState>("x-never-full", [](const GridState& s) { return s.x < 3; });
    auto below_two = invariant<GridState>("x-below-two", [](const GridState& s) { return s.x < 2; });
    not_done.reads = below_two.reads = SliceableGrid::reads_x;
    checker::Options options;
    options.reductions.slicing = true;
    const auto sliced = checker::explore(grid, {not_done, below_two}, options);
    BOOST_TEST(sliced.stats.sliced);
    BOOST_TEST(sliced.stats.states == 4u);  // x = 0..3 with y = 0, against 16 states of the model
    const auto& run = *sliced.checks[0].trace;
    BOOST_TEST(run.actions == (std::vector{Grid::Action::IncX, Grid::Action::IncX, Grid::Action::IncX, Grid::Action::IncY,
                                           Grid::Action::IncY, Grid::Action::IncY}),
               boost::test_tools::per_element());
    BOOST_TEST((run.states.back() == GridState{3, 3}));
    BOOST_TEST(sliced.checks[1].trace->actions.size() == 2u);  // an invariant's stays shortest
    const auto whole = checker::explore(grid, {not_done, below_two});
    BOOST_TEST(!whole.stats.sliced);
    BOOST_TEST(verdicts(whole) == verdicts(sliced), boost::test_tools::per_element());
}

BOOST_AUTO_TEST_CASE(a_check_that_reads_the_left_out_part_is_not_sliced) {
    auto corner = eventually<GridState>("corner", [](const GridState& s) { return s.x == 3 && s.y == 3; });
    corner.reads = SliceableGrid::reads_x | SliceableGrid::reads_y;
    checker::Options options;
    options.reductions.slicing = true;
    const auto result = checker::explore(SliceableGrid{}, {corner}, options);
    BOOST_TEST(!result.stats.sliced);
    BOOST_TEST(result.stats.states == 16u);
    BOOST_TEST(verdicts(result) == std::vector<std::string>{"Holds"}, boost::test_tools::per_element());
}

// The cutoff: checks about each counter that has started (y stays 0 in the cutoff, as an alert
// there is never raised) run on x alone; counterexamples are the model's runs, as short as the
// model's shortest (an eventually-check's completed by y's fair steps), verdicts the model's.
BOOST_AUTO_TEST_CASE(the_cutoff_explores_one_counter_and_keeps_verdicts_and_shortest_traces) {
    const auto each = [](auto fact) { return [fact](const GridState& s) { return fact(s.x) && fact(s.y); }; };
    std::vector checks{invariant<GridState>("each-below-two", each([](std::uint32_t c) { return c < 2; })),
                       eventually<GridState>("each-ends-below-three", each([](std::uint32_t c) { return c < 3; })),
                       eventually<GridState>("each-full", each([](std::uint32_t c) { return c == 0 || c == 3; }))};
    for (auto& check : checks) check.reads = SliceableGrid::reads_x | SliceableGrid::reads_y;
    checker::Options options;
    options.reductions.cutoff = true;
    const auto cut = checker::explore(CutoffGrid{}, checks, options);
    BOOST_TEST(cut.stats.cutoff);
    BOOST_TEST(cut.stats.states == 4u);  // x = 0..3, against 16 states of the model
    const auto whole = checker::explore(CutoffGrid{}, checks);
    BOOST_TEST(!whole.stats.cutoff);
    BOOST_TEST(verdicts(cut) == (std::vector<std::string>{"Violated", "Violated", "Holds"}), boost::test_tools::per_element());
    BOOST_TEST(verdicts(whole) == verdicts(cut), boost::test_tools::per_element());
    for (int i : {0, 1}) {
        const auto& run = *cut.checks[i].trace;
        BOOST_TEST(run.actions.size() == whole.checks[i].trace->actions.size());
        BOOST_TEST((checker::replay(CutoffGrid{}, run.actions) == run.states.back()));
    }
    BOOST_TEST((cut.checks[1].trace->states.back() == GridState{3, 3}));  // completed by y's steps
}

// A check that relates the counters ("never both started": it holds on x alone, fails on the
// grid) is not one the cutoff answers; one that does not say what it reads (every bit) is not
// cut off either. Both explore the grid and find it violated.
BOOST_AUTO_TEST_CASE(a_check_that_may_relate_processes_is_not_cut_off) {
    auto relating = invariant<GridState>("never-both-started", [](const GridState& s) { return s.x == 0 || s.y == 0; });
    checker::Options options;
    options.reductions.cutoff = true;
    for (const std::uint32_t reads : {CutoffGrid::reads_both, ~std::uint32_t{0}}) {
        relating.reads = reads;
        const auto result = checker::explore(CutoffGrid{}, {relating}, options);
        BOOST_TEST(!result.stats.cutoff);
        BOOST_TEST(result.checks[0].trace->actions.size() == 2u);  // x then y
    }
}

// A slice that is not one (its x counts to 5, the model's to 3) yields a counterexample that is
// no run of the model: the checker says so instead of reporting it.
BOOST_AUTO_TEST_CASE(a_counterexample_that_does_not_carry_over_is_an_error_not_a_verdict) {
    SliceableGrid grid;
    grid.slice_size_x = 5;
    auto bounded = invariant<GridState>("x-at-most-3", [](const GridState& s) { return s.x <= 3; });
    bounded.reads = SliceableGrid::reads_x;
    checker::Options options;
    options.reductions.slicing = true;
    BOOST_CHECK_THROW(checker::explore(grid, {bounded}, options), std::logic_error);
}

BOOST_AUTO_TEST_CASE(counts_states_transitions_and_depth_exactly) {
    // 4 x 4 states; IncX is enabled in the 3 x 4 states with x < 3, IncY likewise: 24.
    const auto result = checker::explore(Grid{}, grid_checks());
    BOOST_TEST(result.stats.states == 16u);
    BOOST_TEST(result.stats.transitions == 24u);
    BOOST_TEST(result.stats.depth == 6u);
    BOOST_TEST(result.stats.complete);
    BOOST_TEST(result.stats.stop_reason == "");
    BOOST_TEST(verdicts(result) == (std::vector<std::string>{"Holds", "Holds"}), boost::test_tools::per_element());
    for (const auto& check : result.checks) {
        BOOST_TEST(!check.trace.has_value());
        BOOST_TEST(check.note == "");
    }

    // Jump adds one transition from each of the 8 states with x <= 1, and shortens the
    // longest shortest path (to (3,3)) from 6 steps to 5.
    const auto jumping = checker::explore(Grid{.jump = true}, grid_checks());
    BOOST_TEST(jumping.stats.states == 16u);
    BOOST_TEST(jumping.stats.transitions == 32u);
    BOOST_TEST(jumping.stats.depth == 5u);
    BOOST_TEST(jumping.stats.complete);
}

BOOST_AUTO_TEST_CASE(explores_everything_without_checks) {
    const auto result = checker::explore(Grid{}, {});
    BOOST_TEST(result.stats.states == 16u);
    BOOST_TEST(result.stats.complete);
    BOOST_TEST(result.checks.empty());
}

BOOST_AUTO_TEST_CASE(invariant_counterexample_is_shortest) {
    // (4,0) is reached by IncX x4, by Jump twice, and by mixes of the two; Jump comes last in
    // the action order, so only breadth-first order finds the two-step path first.
    const Grid grid{.size = 4, .jump = true};
    const auto result = checker::explore(
        grid, {invariant<GridState>("x-below-4", [](const GridState& s) { return s.x != 4; })});
    BOOST_TEST(verdicts(result) == (std::vector<std::string>{"Violated"}), boost::test_tools::per_element());
    const auto& trace = result.checks[0].trace.value();
    BOOST_TEST(trace.actions == (std::vector{Grid::Action::Jump, Grid::Action::Jump}),
               boost::test_tools::per_element());
    BOOST_TEST(trace.states == (std::vector<GridState>{{0, 0}, {2, 0}, {4, 0}}), boost::test_tools::per_element());
}

BOOST_AUTO_TEST_CASE(counterexample_replays_to_the_violating_state) {
    const Grid grid{.size = 5, .jump = true};
    const auto not_corner = [](const GridState& s) { return !(s.x == 5 && s.y == 2); };
    const auto result = checker::explore(grid, {invariant<GridState>("not-corner", not_corner)});
    const auto& trace = result.checks[0].trace.value();
    BOOST_TEST(trace.actions.size() == 5u);  // Jump, Jump, IncX in some order, then IncY twice
    BOOST_REQUIRE(trace.states.size() == trace.actions.size() + 1);
    for (std::size_t i = 0; i <= trace.actions.size(); ++i) {
        const std::vector prefix(trace.actions.begin(), trace.actions.begin() + static_cast<std::ptrdiff_t>(i));
        BOOST_TEST(checker::replay(grid, prefix) == trace.states[i]);
    }
    BOOST_TEST(!not_corner(trace.states.back()));
}

BOOST_AUTO_TEST_CASE(replay_rejects_an_action_that_is_not_enabled) {
    const Grid grid{.size = 2};
    using enum Grid::Action;
    BOOST_TEST(checker::replay(grid, {IncX, IncX}) == (GridState{2, 0}));
    BOOST_TEST(!checker::replay(grid, {IncX, IncX, IncX}).has_value());
    BOOST_TEST(!checker::replay(grid, {Jump}).has_value());
}

BOOST_AUTO_TEST_CASE(replay_starts_from_the_first_initial_state_that_enables_the_actions) {
    const Grid grid{.size = 2, .starts = {{2, 0}, {0, 0}}};
    BOOST_TEST(checker::replay(grid, {}) == (GridState{2, 0}));
    BOOST_TEST(checker::replay(grid, {Grid::Action::IncX}) == (GridState{1, 0}));
}

BOOST_AUTO_TEST_CASE(violated_initial_state_gives_a_trace_without_actions) {
    const Grid grid{.size = 2, .starts = {{0, 0}, {2, 0}, {0, 0}}};
    const auto result =
        checker::explore(grid, {invariant<GridState>("x-below-2", [](const GridState& s) { return s.x < 2; })});
    const auto& trace = result.checks[0].trace.value();
    BOOST_TEST(trace.states == (std::vector<GridState>{{2, 0}}), boost::test_tools::per_element());
    BOOST_TEST(trace.actions.empty());
    // The duplicate initial state is stored once; invariants are checked as states are
    // expanded, so the violation is found with level 0, when (0,0)'s three successors are stored.
    BOOST_TEST(result.stats.states == 5u);
}

BOOST_AUTO_TEST_CASE(stops_early_once_every_property_is_violated) {
    const Grid grid{.size = 100};
    const auto result =
        checker::explore(grid, {invariant<GridState>("x-is-0", [](const GridState& s) { return s.x == 0; })});
    BOOST_TEST(verdicts(result) == (std::vector<std::string>{"Violated"}), boost::test_tools::per_element());
    BOOST_TEST(!result.stats.complete);
    BOOST_TEST(result.stats.stop_reason == "every property already violated");
    BOOST_TEST(result.stats.states == 6u);  // levels 0 and 1 expanded (level 1 holds the violation), then the search stops
}

// Invariants are checked as states are expanded; a limit leaves states stored but not expanded,
// and a violation among them is still found: here in the next level, whose first state stored
// (the 4th in all; which one depends on the shards it falls in) is at depth 2.
// Both stores keep those states: the exact one with the others, the fingerprint one aside.
BOOST_AUTO_TEST_CASE(a_limit_still_finds_a_violation_among_the_states_stored_but_not_expanded) {
    for (const auto& [threads, store] : {std::pair{1u, checker::StoreMode::Exact}, {2u, checker::StoreMode::Exact}, {1u, checker::StoreMode::Fingerprint}}) {
        const auto result = checker::explore(Grid{}, {invariant<GridState>("depth-below-2", [](const GridState& s) { return s.x + s.y < 2; })},
                                             {.limits = {.max_states = 4}, .threads = threads, .store = store});
        BOOST_TEST(result.stats.stop_reason == "state limit 4 reached");
        BOOST_TEST(verdicts(result) == (std::vector<std::string>{"Violated"}), boost::test_tools::per_element());
        const auto& trace = result.checks[0].trace.value();
        BOOST_TEST(trace.states.size() == 3u);
        BOOST_TEST(trace.states.back().x + trace.states.back().y == 2u);
    }
}

// Of the states stored but not expanded, the first in one-thread order is reported: a limit of
// 5 stores (0,0), (1,0), (0,1), then (2,0) and (1,1) of the next level, both violating; (2,0)
// comes first (the first successor of the first state of level 1).
BOOST_AUTO_TEST_CASE(the_violation_reported_among_the_states_not_expanded_is_the_first_in_one_thread_order) {
    const auto result = checker::explore(Grid{}, {invariant<GridState>("depth-below-2", [](const GridState& s) { return s.x + s.y < 2; })},
                                         {.limits = {.max_states = 5}});
    BOOST_TEST(result.stats.stop_reason == "state limit 5 reached");
    const auto& trace = result.checks[0].trace.value();
    BOOST_TEST(trace.states == (std::vector<GridState>{{0, 0}, {1, 0}, {2, 0}}), boost::test_tools::per_element());
}

// The same in the rest of a level: 5,000 initial states are expanded in batches of 4,096; the
// limit stops the search after the first batch, and the first violating initial state,
// (0,4500), is among those never expanded. It is found before anything of the next level.
BOOST_AUTO_TEST_CASE(a_limit_still_finds_a_violation_in_the_rest_of_the_level) {
    Grid grid{.size = 5'000, .starts = {}};
    for (std::uint32_t y = 0; y < 5'000; ++y) grid.starts.push_back({0, y});
    for (const unsigned threads : {1u, 2u}) {
        const auto result = checker::explore(grid, {invariant<GridState>("y-below-4500", [](const GridState& s) { return s.y < 4'500; })},
                                             {.limits = {.max_states = 5'001}, .threads = threads});
        BOOST_TEST(result.stats.stop_reason == "state limit 5001 reached");
        BOOST_TEST(verdicts(result) == (std::vector<std::string>{"Violated"}), boost::test_tools::per_element());
        const auto& trace = result.checks[0].trace.value();
        BOOST_TEST(trace.states == (std::vector<GridState>{{0, 4'500}}), boost::test_tools::per_element());
    }
}

// Each level is expanded in one-thread BFS order (the parent's place in its level, then the
// successor's rank; an initial state's place among the initial states), which one thread
// stores states in and several note batch by batch. 70,000 initial states, given in descending
// y, fill many batches: the first state at depth 1 is still the first initial state's first
// successor, on one thread and on two.
BOOST_AUTO_TEST_CASE(many_initial_states_are_expanded_in_the_order_given) {
    Grid grid{.size = 70'000, .starts = {}};
    for (std::uint32_t y = 70'000; y-- > 0;) grid.starts.push_back({0, y});
    const auto x_is_0 = invariant<GridState>("x-is-0", [](const GridState& s) { return s.x == 0; });
    for (const unsigned threads : {1u, 2u}) {
        checker::Options options;
        options.threads = threads;
        const auto result = checker::explore(grid, {x_is_0}, options);
        const auto& trace = result.checks[0].trace.value();
        BOOST_TEST(trace.states == (std::vector<GridState>{{0, 69'999}, {1, 69'999}}), boost::test_tools::per_element());
        BOOST_TEST(result.stats.states > 70'000u, threads << " thread(s): " << result.stats.states << " states");
    }
}

BOOST_AUTO_TEST_CASE(a_violation_does_not_stop_the_other_checks) {
    auto checks = grid_checks();
    checks.push_back(invariant<GridState>("x-is-0", [](const GridState& s) { return s.x == 0; }));
    const auto result = checker::explore(Grid{}, checks);
    BOOST_TEST(verdicts(result) == (std::vector<std::string>{"Holds", "Holds", "Violated"}),
               boost::test_tools::per_element());
    BOOST_TEST(result.stats.complete);
    BOOST_TEST(result.stats.states == 16u);
}

BOOST_AUTO_TEST_CASE(fair_action_must_happen_before_a_run_ends) {
    // Delivered without incident, only the fair CreateIncident or unfair AddNote remain: not
    // an end state, so "eventually an incident" holds though that state has none.
    const auto result = checker::explore(
        Delivery{}, {eventually<Delivery::State>("incident", [](const Delivery::State& s) { return s.incident == 1; })});
    BOOST_TEST(verdicts(result) == (std::vector<std::string>{"Holds"}), boost::test_tools::per_element());
    BOOST_TEST(result.stats.states == 5u);
    BOOST_TEST(result.stats.transitions == 5u);
    BOOST_TEST(result.stats.complete);
}

BOOST_AUTO_TEST_CASE(unfair_action_may_never_happen) {
    // With the incident created, only the unfair AddNote is enabled: that state ends a run.
    const auto noted = checker::explore(
        Delivery{}, {eventually<Delivery::State>("noted", [](const Delivery::State& s) { return s.noted == 1; })});
    BOOST_TEST(verdicts(noted) == (std::vector<std::string>{"Violated"}), boost::test_tools::per_element());
    using enum Delivery::Action;
    BOOST_TEST(noted.checks[0].trace->actions == (std::vector{Deliver, CreateIncident}),
               boost::test_tools::per_element());

    const auto incident = checker::explore(
        Delivery{.incident_is_fair = false},
        {eventually<Delivery::State>("incident", [](const Delivery::State& s) { return s.incident == 1; })});
    BOOST_TEST(verdicts(incident) == (std::vector<std::string>{"Violated"}), boost::test_tools::per_element());
    BOOST_TEST(incident.checks[0].trace->actions == (std::vector{Deliver}), boost::test_tools::per_element());
}

BOOST_AUTO_TEST_CASE(possible_cycle_makes_eventually_unknown_but_invariants_still_hold) {
    const auto result = checker::explore(
        Switch{}, {invariant<Switch::State>("not-broken", [](Switch::State s) { return s != Switch::State::Broken; }),
                   eventually<Switch::State>("off", [](Switch::State s) { return s == Switch::State::Off; })});
    BOOST_TEST(result.stats.complete);
    BOOST_TEST(result.stats.states == 2u);
    BOOST_TEST(result.stats.transitions == 2u);
    BOOST_TEST(verdicts(result) == (std::vector<std::string>{"Holds", "Unknown"}), boost::test_tools::per_element());
    BOOST_TEST(result.checks[1].note ==
               "the reachable graph may contain a cycle (a transition did not increase the model's progress "
               "measure); eventually-properties need fairness-aware cycle checking, which this checker does not do");
}

// The measure is checked on every transition, also on one to a state the batch made before
// (whose measure the checker has from then), with any number of threads.
BOOST_AUTO_TEST_CASE(a_measure_that_falls_into_a_state_made_before_makes_eventually_unknown) {
    for (unsigned threads : {1u, 2u}) {
        checker::Options options;
        options.threads = threads;
        const auto result = checker::explore(Diamond{}, {eventually<std::uint8_t>("ends", [](std::uint8_t) { return true; })}, options);
        BOOST_TEST(result.stats.complete);
        BOOST_TEST(result.stats.states == 4u);
        BOOST_TEST(result.stats.transitions == 4u);
        BOOST_TEST(verdicts(result) == (std::vector<std::string>{"Unknown"}), boost::test_tools::per_element());
    }
}

BOOST_AUTO_TEST_CASE(end_state_violation_stays_violated_despite_a_cycle) {
    const auto result = checker::explore(
        Switch{.breakable = true},
        {eventually<Switch::State>("not-broken", [](Switch::State s) { return s != Switch::State::Broken; })});
    BOOST_TEST(verdicts(result) == (std::vector<std::string>{"Violated"}), boost::test_tools::per_element());
    using enum Switch::Action;
    BOOST_TEST(result.checks[0].trace->actions == (std::vector{Flip, Break}), boost::test_tools::per_element());
}

BOOST_AUTO_TEST_CASE(state_limit_gives_unknown_never_holds) {
    auto checks = grid_checks();
    checks.push_back(invariant<GridState>("x-is-0", [](const GridState& s) { return s.x == 0; }));
    const auto result = checker::explore(Grid{}, checks, {.limits = {.max_states = 5}});
    BOOST_TEST(!result.stats.complete);
    BOOST_TEST(result.stats.stop_reason == "state limit 5 reached");
    BOOST_TEST(result.stats.states == 5u);
    // A violation found before the limit is a real run: it stays Violated.
    BOOST_TEST(verdicts(result) == (std::vector<std::string>{"Unknown", "Unknown", "Violated"}),
               boost::test_tools::per_element());
    BOOST_TEST(result.checks[0].note == "state limit 5 reached");
    BOOST_TEST(result.checks[1].note == "state limit 5 reached");
}

// Over many batches and on several threads: a batch far from the limit stores without counting
// each state against it, the batch that reaches it counts them, and the limit stays exact.
BOOST_AUTO_TEST_CASE(state_limit_is_exact_on_any_number_of_threads) {
    const Grid grid{.size = 400};  // 401 * 401 = 160,801 states, in batches of 4,096
    for (const unsigned threads : {1u, 2u, 3u}) {
        const auto stopped = checker::explore(grid, grid_checks(400), {.limits = {.max_states = 50'000}, .threads = threads});
        BOOST_TEST(!stopped.stats.complete);
        BOOST_TEST(stopped.stats.stop_reason == "state limit 50000 reached");
        BOOST_TEST(stopped.stats.states == 50'000u);
        const auto whole = checker::explore(grid, grid_checks(400), {.limits = {.max_states = 160'801}, .threads = threads});
        BOOST_TEST(whole.stats.complete);
        BOOST_TEST(whole.stats.states == 160'801u);
    }
}

BOOST_AUTO_TEST_CASE(state_limit_equal_to_the_state_count_completes) {
    const auto result = checker::explore(Grid{}, grid_checks(), {.limits = {.max_states = 16}});
    BOOST_TEST(result.stats.complete);
    BOOST_TEST(verdicts(result) == (std::vector<std::string>{"Holds", "Holds"}), boost::test_tools::per_element());
}

BOOST_AUTO_TEST_CASE(time_limit_gives_unknown) {
    // 10^12 states: no machine finishes this in 20 ms.
    const auto result =
        checker::explore(Grid{.size = 1'000'000}, grid_checks(1'000'000), {.limits = {.time_limit_seconds = 0.02}});
    BOOST_TEST(!result.stats.complete);
    BOOST_TEST(result.stats.stop_reason == "time limit 0.02 s reached");
    BOOST_TEST(verdicts(result) == (std::vector<std::string>{"Unknown", "Unknown"}), boost::test_tools::per_element());
    BOOST_TEST(result.checks[0].note == "time limit 0.02 s reached");
}

// Ctrl-C: the search stops at its next look at the limits, reports what it explored, and leaves
// every property it had not decided unknown, on any number of threads.
BOOST_AUTO_TEST_CASE(an_interrupt_gives_unknown_never_holds) {
    for (const unsigned threads : {1u, 2u}) {
        std::atomic<bool> interrupt{false};
        std::atomic<std::uint64_t> expanded{0};
        const InterruptedGrid grid{Grid{.size = 1'000'000}, &interrupt, &expanded, 10'000};
        const checker::Options options{.limits = {.time_limit_seconds = 60},  // should the interrupt go unheard: a limit, not a hang
                                       .interrupt = &interrupt,
                                       .threads = threads};
        const auto result = checker::explore(grid, grid_checks(1'000'000), options);
        BOOST_TEST(!result.stats.complete);
        BOOST_TEST(result.stats.stop_reason == "interrupted");
        BOOST_TEST(result.stats.states >= 10'000u);  // what it explored before the interrupt is reported
        BOOST_TEST(verdicts(result) == (std::vector<std::string>{"Unknown", "Unknown"}), boost::test_tools::per_element());
        BOOST_TEST(result.checks[0].note == "interrupted");
    }
}

BOOST_AUTO_TEST_CASE(memory_limit_gives_unknown) {
    // Any process holds more than 1 MiB, so the first look at memory stops the search.
    const auto result = checker::explore(Grid{}, grid_checks(), {.limits = {.max_memory_bytes = 1 << 20}});
    BOOST_TEST(!result.stats.complete);
    BOOST_TEST(result.stats.stop_reason == "memory limit 1 MiB reached");
    BOOST_TEST(verdicts(result) == (std::vector<std::string>{"Unknown", "Unknown"}), boost::test_tools::per_element());
    BOOST_TEST(result.stats.peak_memory_bytes > 0u);
}

BOOST_AUTO_TEST_SUITE_END()
