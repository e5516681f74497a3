// The level-synchronous search gives the same result on any number of threads: the same states,
// transitions and depth, the same verdicts and the very same (shortest) counterexamples. The
// fingerprint store gives the same verdicts as the exact one, with traces that replay.
#include <boost/test/unit_test.hpp>

#include <algorithm>
#include <atomic>
#include <chrono>
#include <filesystem>
#include <string>
#include <thread>
#include <vector>

#include "checker/barrier.hpp"
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

BOOST_AUTO_TEST_SUITE_END()
