// The level-synchronous search gives the same result on any number of threads: the same states,
// transitions and depth, the same verdicts and the very same (shortest) counterexamples. The
// fingerprint store gives the same verdicts as the exact one, with traces that replay.
#include <boost/test/unit_test.hpp>

#include <algorithm>
#include <array>
#include <atomic>
#include <chrono>
#include <cstdint>
#include <filesystem>
#include <mutex>
#include <string>
#include <thread>
#include <vector>

#include "checker/barrier.hpp"
#include "checker/explore.hpp"
#include "cli/config_yaml.hpp"
#include "properties/verify.hpp"

namespace {

using namespace alertflow;
using checker::Options;
using checker::Reductions;
using checker::StoreMode;

// Every bundled configuration (B1..B17 and the others), at two alerts where it has fewer.
std::vector<std::pair<std::string, model::Config>> bundled_configs() {
    std::vector<std::pair<std::string, model::Config>> configs;
    for (const auto& entry : std::filesystem::directory_iterator(ALERTFLOW_CONFIGS_DIR)) {
        if (entry.path().extension() != ".yaml") continue;
        model::Config config = cli::load_config(entry.path().string());
        config.scope.alerts = std::max(config.scope.alerts, 2);
        configs.emplace_back(entry.path().filename().string(), config);
    }
    BOOST_TEST_REQUIRE(configs.size() >= 17u);
    return configs;
}

void require_same_runs(const properties::Result& a, const properties::Result& b, const std::string& what) {
    BOOST_TEST(a.stats.states == b.stats.states, what);
    BOOST_TEST(a.stats.transitions == b.stats.transitions, what);
    BOOST_TEST(a.stats.depth == b.stats.depth, what);
    for (std::size_t i = 0; i < a.checks.size(); ++i) {
        BOOST_TEST((a.checks[i].verdict == b.checks[i].verdict), what << ' ' << a.checks[i].id);
        if (!a.checks[i].trace) continue;
        BOOST_TEST_REQUIRE(b.checks[i].trace.has_value(), what << ' ' << a.checks[i].id);
        BOOST_TEST((a.checks[i].trace->actions == b.checks[i].trace->actions), what << ' ' << a.checks[i].id);
    }
}

// One batch whose first state stalls until the other thread has stolen chunks from the stalled
// thread's share: a backward steal forced, whatever the machine's timing. State 0 leads to the
// level 1..fan (one batch of explore.hpp's 4,096 states, in chunks of 128; other sizes fail the
// premise checks below, not silently pass); two of them lead to `goal`: `early` (in the first thread's share)
// and `late` (in the other's), so a one-thread search reaches goal from early. On two threads,
// late waits until the first thread has begun its share with state 1, which waits until early is
// expanded: the other thread makes goal from late (its own share), then from early (stolen). If
// its batch set still answered from before the steal, goal would be dropped there and stored
// with parent late.
struct StolenBatch {
    using State = std::uint32_t;
    using Action = std::uint32_t;  // the state it leads to
    static constexpr State fan = 4096, early = 1926, late = 2101, goal = fan + 1;

    struct Seen {  // which thread expanded what, in which order
        std::mutex mutex;
        std::vector<std::pair<State, std::thread::id>> expanded;
        bool stall = false;  // on two threads: force the order above
        bool timed_out = false;
        void record(State s) {
            const std::lock_guard lock(mutex);
            expanded.emplace_back(s, std::this_thread::get_id());
        }
        void wait_for(State s) {
            const auto give_up = std::chrono::steady_clock::now() + std::chrono::seconds(60);
            for (;;) {
                {
                    const std::lock_guard lock(mutex);
                    if (std::ranges::any_of(expanded, [s](const auto& e) { return e.first == s; })) return;
                    if (std::chrono::steady_clock::now() > give_up) {
                        timed_out = true;
                        return;
                    }
                }
                std::this_thread::sleep_for(std::chrono::milliseconds(1));
            }
        }
    };
    Seen* seen;

    std::array<State, 1> initial_states() const { return {0}; }
    template <class Visit>
    void for_each_successor(State s, Visit&& visit) const {
        if (seen->stall && (s == 1 || s == late)) {
            if (s == 1) seen->record(s);
            seen->wait_for(s == 1 ? early : 1);
        }
        if (s == early || s == late) seen->record(s);
        if (s == 0)
            for (State t = 1; t <= fan; ++t) visit(t, t);
        if (s == early || s == late) visit(goal, goal);
    }
    bool is_fair(Action) const { return true; }
    std::uint64_t progress(State s) const { return s == 0 ? 0 : s == goal ? 2 : 1; }
};
static_assert(checker::Model<StolenBatch>);

}  // namespace

BOOST_AUTO_TEST_SUITE(checker_parallel)

BOOST_AUTO_TEST_CASE(two_and_three_threads_find_what_one_thread_finds_with_traces_as_short) {
    const auto catalog = properties::whole_catalog();
    std::size_t traces = 0;
    for (const auto& [name, config] : bundled_configs()) {
        const model::System system(config);
        for (const Reductions reductions : {Reductions{false, false}, Reductions{true, true}}) {
            const auto one = properties::verify(system, catalog, {.limits = {}, .reductions = reductions});
            BOOST_TEST_REQUIRE(one.stats.complete, name);
            for (const unsigned threads : {2u, 3u}) {
                const auto many = properties::verify(system, catalog, {.limits = {}, .reductions = reductions, .threads = threads});
                BOOST_TEST(many.stats.threads == threads);
                require_same_runs(one, many, name + " on " + std::to_string(threads) + " threads");
            }
            for (const auto& c : one.checks) traces += c.trace.has_value();
        }
    }
    BOOST_TEST(traces > 20u);  // the comparison covered many counterexamples
}

BOOST_AUTO_TEST_CASE(fingerprints_give_the_exact_verdicts_and_traces_that_replay) {
    const auto catalog = properties::whole_catalog();
    for (const auto& [name, config] : bundled_configs()) {
        const model::System system(config);
        const auto exact = properties::verify(system, catalog, {.limits = {}, .reductions = {true, true}});
        const Options fingerprints{.limits = {}, .reductions = {true, true}, .threads = 2, .store = StoreMode::Fingerprint};
        const auto hashed = properties::verify(system, catalog, fingerprints);
        BOOST_TEST(exact.stats.collision_probability == 0.0);
        BOOST_TEST(hashed.stats.collision_probability > 0.0);
        BOOST_TEST(hashed.stats.collision_probability < 1e-6, name);
        // With no collision (all but certain at this size) the two searches are the same.
        require_same_runs(exact, hashed, name + " with fingerprints");
        BOOST_TEST(hashed.stats.store_bytes < exact.stats.store_bytes, name);
        for (std::size_t i = 0; i < catalog.size(); ++i) {
            if (!hashed.checks[i].trace) continue;
            const auto end = checker::replay(system, hashed.checks[i].trace->actions);
            BOOST_TEST_REQUIRE(end.has_value(), name);
            BOOST_TEST(!catalog[i]->holds(*end), name << ' ' << catalog[i]->id);
        }
    }
}

// The barrier between the search's phases: no thread leaves a crossing before every thread has
// arrived there, and each sees what the others wrote (plain data) before they arrived, crossing
// after crossing; with as many threads as this process may use (they spin) and more (they sleep
// at once), and with one thread now and then late by more than the spin (the others then sleep).
BOOST_AUTO_TEST_CASE(no_thread_passes_the_barrier_before_every_thread_arrives, *boost::unit_test::timeout(120)) {
    const unsigned cpus = std::max(1u, checker::detail::usable_cpus());
    for (const unsigned threads : {2u, std::max(2u, cpus), 2 * cpus + 1}) {
        checker::detail::SpinningBarrier barrier(threads);
        constexpr int crossings = 300;
        std::vector<int> written(threads, 0);  // thread t writes its slot, then all read every slot
        std::atomic<int> arrivals{0}, early{0}, unseen{0};
        {
            std::vector<std::jthread> pool;
            for (unsigned t = 0; t < threads; ++t)
                pool.emplace_back([&, t] {
                    for (int c = 1; c <= crossings; ++c) {
                        if (t == 0 && c % 50 == 0) std::this_thread::sleep_for(std::chrono::milliseconds(3));
                        written[t] = c;
                        arrivals.fetch_add(1, std::memory_order_relaxed);
                        barrier.arrive_and_wait();
                        early += arrivals.load(std::memory_order_relaxed) < c * static_cast<int>(threads);
                        unseen += static_cast<int>(std::count_if(written.begin(), written.end(), [c](int w) { return w < c; }));
                        barrier.arrive_and_wait();  // nobody writes the next crossing's slot before all have read
                    }
                });
        }
        BOOST_TEST(arrivals.load() == crossings * static_cast<int>(threads));
        BOOST_TEST(early.load() == 0, threads << " threads: " << early.load() << " left a crossing before every thread arrived");
        BOOST_TEST(unseen.load() == 0, threads << " threads: " << unseen.load() << " slots read before their writes");
    }
}

// A thread that steals chunks earlier in the batch than those it expanded must not drop a state
// it made in its own share: the state's first parent in batch order is in the stolen chunk, and
// the counterexample must be the one a single thread finds.
BOOST_AUTO_TEST_CASE(a_state_made_again_in_a_stolen_earlier_chunk_keeps_its_first_parent, *boost::unit_test::timeout(120)) {
    const std::vector<checker::Check<StolenBatch::State>> checks{
        {"goal-unreached", checker::PropertyKind::Invariant, [](StolenBatch::State s) { return s != StolenBatch::goal; }}};
    StolenBatch::Seen one_seen, two_seen;
    two_seen.stall = true;
    const auto one = checker::explore(StolenBatch{&one_seen}, checks);
    const auto two = checker::explore(StolenBatch{&two_seen}, checks, {.limits = {}, .threads = 2});
    BOOST_TEST_REQUIRE(!two_seen.timed_out);
    // The premise: one thread stalled in the first state; the other expanded late, then early
    // (building the trace expands early once more).
    const auto& e = two_seen.expanded;
    BOOST_TEST_REQUIRE(e.size() >= 3u);
    BOOST_TEST((e[0].first == 1u && e[1].first == StolenBatch::late && e[2].first == StolenBatch::early));
    BOOST_TEST((e[1].second == e[2].second && e[0].second != e[1].second));
    const std::vector<StolenBatch::Action> shortest{StolenBatch::early, StolenBatch::goal};
    BOOST_TEST_REQUIRE(one.checks[0].trace.has_value());
    BOOST_TEST(one.checks[0].trace->actions == shortest, boost::test_tools::per_element());
    BOOST_TEST_REQUIRE(two.checks[0].trace.has_value());
    BOOST_TEST(two.checks[0].trace->actions == shortest, boost::test_tools::per_element());
}

BOOST_AUTO_TEST_SUITE_END()
