// The benchmark: explorations at growing scope, with and without reductions, on one thread and
// two, exact and fingerprint stores, printed as a Markdown table that the README quotes. Each row
// runs in a fresh child process, so that its peak memory is its own, against the visited-set
// ceiling for keys of its packed state size. bench/run builds in Release and runs this.
#include <sys/resource.h>
#include <sys/wait.h>
#include <unistd.h>

#include <algorithm>
#include <cstdlib>
#include <cstring>
#include <map>
#include <optional>
#include <set>
#include <string>
#include <string_view>
#include <thread>
#include <vector>

#include <fmt/format.h>

#include "bench/ceiling.hpp"
#include "cli/config_yaml.hpp"
#include "properties/verify.hpp"

namespace {

using namespace alertflow;
using checker::StoreMode;

struct Row {
    const char* config;  // relative to the source folder
    int alerts;
    checker::Reductions reductions;
    unsigned threads;
    StoreMode store = StoreMode::Exact;
    const char* property = nullptr;  // nullptr: the whole catalog
    bool slow = false;               // minutes: skipped with --quick
};

constexpr const char* kUsage =
    "usage: alertflow_bench [--quick] [--row K]... [--repeat N] [--max-states N] [--time-limit S] [--max-memory-gib G]\n"
    "  Runs the benchmark rows and prints a Markdown table (the README quotes it).\n"
    "  --quick             skip the rows that take minutes\n"
    "  --row K             run the K-th row (from 1); give it again for more rows (default: every row)\n"
    "  --repeat N          run the chosen rows N times over, one round after another (rows of a round\n"
    "                      side by side, so that a slow minute of the machine falls on all of them), and\n"
    "                      print each row's median, fastest and slowest time, and the median speed-up of\n"
    "                      each row over the row before it with fewer threads and the same search, with\n"
    "                      the CPU seconds its threads used and how busy they were (CPU seconds over\n"
    "                      seconds times threads: below 1 when threads wait for one another)\n"
    "  --max-states N      per row, stop after N distinct states (default 100000000)\n"
    "  --time-limit S      per row, stop after S seconds (default 600)\n"
    "  --max-memory-gib G  per row, stop at G GiB resident (default 20)\n"
    "  A row that stops says why in its last column: its figures are for a partial exploration.\n";

model::System system_of(const Row& row) {
    model::Config config = cli::load_config(std::string(ALERTFLOW_SOURCE_DIR) + "/" + row.config);
    config.scope.alerts = row.alerts;
    return model::System(config);
}

// The reductions the row asked for, slicing and the cutoff named only where the model had one.
std::string applied(checker::Reductions asked, const checker::Stats& s) {
    asked.slicing = asked.slicing && s.sliced;
    asked.cutoff = asked.cutoff && s.cutoff;
    return checker::to_string(asked);
}

// What a run of a row sends back for --repeat's summary: its seconds, transitions, and the CPU
// seconds its threads used meanwhile.
struct Timing {
    double seconds = 0, transitions = 0, cpu_seconds = 0;
};

// The CPU time this process has used so far, in user and system mode, over all its threads.
double cpu_seconds() {
    rusage usage{};
    getrusage(RUSAGE_SELF, &usage);
    const auto seconds = [](const timeval& t) { return static_cast<double>(t.tv_sec) + static_cast<double>(t.tv_usec) / 1e6; };
    return seconds(usage.ru_utime) + seconds(usage.ru_stime);
}

// Runs one row and prints its line.
Timing run_row(const Row& row, const checker::Limits& limits, double lookup_ceiling) {
    const model::System system = system_of(row);
    const auto chosen = row.property ? std::vector{properties::find(row.property)} : properties::whole_catalog();
    const checker::Options options{.limits = limits, .reductions = row.reductions, .threads = row.threads, .store = row.store};
    const double cpu_before = cpu_seconds();
    const auto result = properties::verify(system, chosen, options);
    const double cpu = cpu_seconds() - cpu_before;
    const auto& s = result.stats;
    const double per_second = s.seconds > 0 ? static_cast<double>(s.transitions) / s.seconds : 0.0;
    const double states = s.states ? static_cast<double>(s.states) : 1.0;
    int violated = 0;
    for (const auto& c : result.checks) violated += c.verdict == checker::Verdict::Violated;
    fmt::print("| {} | {} | {} | {} | {} | {} | {} | {:.1f} M | {:.2f} | {:.2f} M | {:.2f} M | {:.2f} | {} | {:.0f} | {:.0f} | {:.0f} | {} |\n",
               row.config, row.alerts, row.property ? row.property : "all", applied(row.reductions, s), row.threads,
               row.store == StoreMode::Exact ? "exact" : "fingerprint", s.states, static_cast<double>(s.transitions) / 1e6, s.seconds,
               s.states_per_second() / 1e6, per_second / 1e6, per_second / lookup_ceiling, s.state_bytes, static_cast<double>(s.store_bytes) / states,
               static_cast<double>(s.peak_memory_bytes) / states, static_cast<double>(s.peak_memory_bytes) / (1024.0 * 1024.0),
               s.complete ? fmt::format("yes ({} violated)", violated) : s.stop_reason);
    std::fflush(stdout);
    return {s.seconds, static_cast<double>(s.transitions), cpu};
}

// Runs a row in a fresh child process (so that its peak memory is its own), which sends its timing
// back through a pipe; nullopt if the child died before it could.
std::optional<Timing> run_row_apart(const Row& row, const checker::Limits& limits, double lookup_ceiling) {
    int ends[2];
    if (pipe(ends) != 0) return std::nullopt;
    const pid_t child = fork();
    if (child < 0) {
        close(ends[0]);
        close(ends[1]);
        return std::nullopt;
    }
    if (child == 0) {
        close(ends[0]);
        const Timing timing = run_row(row, limits, lookup_ceiling);
        [[maybe_unused]] const auto written = write(ends[1], &timing, sizeof timing);
        std::_Exit(0);
    }
    close(ends[1]);
    Timing timing;
    const bool got = read(ends[0], &timing, sizeof timing) == static_cast<ssize_t>(sizeof timing);
    close(ends[0]);
    int status = 0;
    waitpid(child, &status, 0);
    if (!got) return std::nullopt;
    return timing;
}

// The same search with fewer threads: what a row's speed-up is measured against.
bool same_search(const Row& a, const Row& b) {
    return std::string_view(a.config) == b.config && a.alerts == b.alerts && checker::to_string(a.reductions) == checker::to_string(b.reductions) &&
           a.store == b.store && std::string_view(a.property ? a.property : "") == (b.property ? b.property : "");
}

double median(std::vector<double> v) {
    std::ranges::sort(v);
    const std::size_t n = v.size();
    return n % 2 ? v[n / 2] : (v[n / 2 - 1] + v[n / 2]) / 2;
}

// Each round's run of a row, by row; nullopt where the run's process died before it reported.
using Rounds = std::map<std::size_t, std::vector<std::optional<Timing>>>;

// After --repeat rounds: each row's median, fastest and slowest seconds, its median transitions per
// second, its median CPU seconds and how busy its threads were (CPU seconds over seconds times
// threads: what a thread spent waiting for the others is missing), and its median speed-up over
// the row before it that ran the same search on fewer threads (the median of the ratios of the
// rounds where both rows reported). A speed-up short of the thread count is then either waiting
// (busy below 1) or more work (more CPU seconds than the row with fewer threads).
void print_repeats(const std::vector<Row>& all, const Rounds& rounds) {
    fmt::print("\n| row | threads | runs | median s | fastest s | slowest s | median transitions/s | median CPU s | busy | speed-up (median of the rounds) |\n"
               "|---|---|---|---|---|---|---|---|---|---|\n");
    for (const auto& [k, runs] : rounds) {
        std::vector<double> times, rates, cpu, busy;
        for (const auto& t : runs)
            if (t) {
                times.push_back(t->seconds);
                rates.push_back(t->seconds > 0 ? t->transitions / t->seconds : 0.0);
                cpu.push_back(t->cpu_seconds);
                busy.push_back(t->seconds > 0 ? t->cpu_seconds / (t->seconds * all[k].threads) : 0.0);
            }
        if (times.empty()) continue;
        std::string speedup = "-";
        for (const auto& [j, base] : rounds) {
            if (j >= k || !same_search(all[j], all[k]) || all[j].threads >= all[k].threads) continue;
            std::vector<double> ratios;
            for (std::size_t r = 0; r < runs.size(); ++r)
                if (base[r] && runs[r] && runs[r]->seconds > 0) ratios.push_back(base[r]->seconds / runs[r]->seconds);
            if (!ratios.empty())
                speedup = fmt::format("{:.2f}x over row {} ({:.2f}x to {:.2f}x)", median(ratios), j + 1, std::ranges::min(ratios), std::ranges::max(ratios));
        }
        fmt::print("| {} | {} | {} | {:.3f} | {:.3f} | {:.3f} | {:.2f} M | {:.2f} | {:.2f} | {} |\n", k + 1, all[k].threads, times.size(),
                   median(times), std::ranges::min(times), std::ranges::max(times), median(rates) / 1e6, median(cpu), median(busy), speedup);
    }
}

std::vector<Row> rows() {
    const checker::Reductions none{false, false}, sym{true, false}, both{true, true}, slice{false, false, true},
        all3{true, true, true}, all4{true, true, true, true};
    const char* all = "configs/all_connectors.yaml";
    const char* spin = "bench/spin_comparison.yaml";
    const char* every = "bench/all_switches_on.yaml";
    const char* uncorrelated = "bench/all_switches_on_uncorrelated.yaml";
    return {
        // Throughput and threads on a space of more than 10 million states, no reduction.
        {all, 3, none, 1, StoreMode::Exact, nullptr, true},
        {all, 3, none, 2, StoreMode::Exact, nullptr, true},
        {all, 3, none, 2, StoreMode::Fingerprint, nullptr, true},
        // What each reduction buys.
        {all, 2, none, 1},
        {all, 2, sym, 1},
        {all, 2, both, 1},
        {all, 3, sym, 2},
        {all, 3, both, 1},
        {all, 3, both, 2},
        {all, 4, both, 2},
        {all, 5, both, 2},
        {all, 6, both, 2},
        {all, 6, all4, 1},  // no correlation: the cutoff explores one alert
        // The SPIN comparison: every connector and fault, automation on, no rule, no-lost-alert,
        // which reads no SecurityAlert row: without slicing, then sliced, on one core.
        {spin, 2, both, 2, StoreMode::Exact, "no-lost-alert"},
        {spin, 3, both, 2, StoreMode::Fingerprint, "no-lost-alert", true},
        {spin, 3, slice, 1, StoreMode::Exact, "no-lost-alert"},
        {spin, 3, all3, 1, StoreMode::Exact, "no-lost-alert"},
        {spin, 4, all3, 1, StoreMode::Exact, "no-lost-alert"},
        {spin, 5, all3, 1, StoreMode::Exact, "no-lost-alert"},
        {spin, 6, all3, 1, StoreMode::Exact, "no-lost-alert"},
        // Every switch on, two subscriptions, one late.
        {every, 1, both, 2},
        {every, 2, both, 2, StoreMode::Fingerprint, nullptr, true},
        // The same without correlation: alerts never meet, so the cutoff needs one alert.
        {uncorrelated, 2, both, 2},
        {uncorrelated, 4, all4, 1},
        {uncorrelated, 6, all4, 1},
    };
}

}  // namespace

int main(int argc, char** argv) {
    checker::Limits limits{100'000'000, 600, 20ull << 30};
    bool quick = false;
    std::set<std::size_t> only;  // rows from 1; empty: every row
    int repeat = 1;
    for (int i = 1; i < argc; ++i) {
        const std::string_view arg = argv[i];
        const bool has_value = i + 1 < argc;
        if (arg == "--help" || arg == "-h") {
            fmt::print("{}", kUsage);
            return 0;
        }
        if (arg == "--quick") quick = true;
        else if (has_value && arg == "--row") only.insert(std::strtoull(argv[++i], nullptr, 10));
        else if (has_value && arg == "--repeat") repeat = std::atoi(argv[++i]);
        else if (has_value && arg == "--max-states") limits.max_states = std::strtoull(argv[++i], nullptr, 10);
        else if (has_value && arg == "--time-limit") limits.time_limit_seconds = std::strtod(argv[++i], nullptr);
        else if (has_value && arg == "--max-memory-gib") limits.max_memory_bytes = std::strtoull(argv[++i], nullptr, 10) << 30;
        else {
            fmt::print(stderr, "alertflow_bench: unknown option or missing value: {}\n{}", arg, kUsage);
            return 2;
        }
    }
    const std::vector<Row> all = rows();
    if (repeat < 1 || std::ranges::any_of(only, [&](std::size_t k) { return k < 1 || k > all.size(); })) {
        fmt::print(stderr, "alertflow_bench: --row takes 1 to {} and --repeat at least 1\n{}", all.size(), kUsage);
        return 2;
    }
    fmt::print("sizeof(State) = {} bytes unpacked; {} cores; limits per row: {} states, {} s, {} GiB\n", sizeof(model::State),
               std::thread::hardware_concurrency(), limits.max_states, limits.time_limit_seconds, limits.max_memory_bytes >> 30);
    const auto small = bench::measure_ceiling<std::array<std::uint64_t, 2>>(8'000'000);
    fmt::print("visited-set ceiling (boost::unordered_flat_set, XXH3, one core), 16-byte keys: {:.1f} M inserts/s, {:.1f} M lookups/s; "
               "each row's \"of ceiling\" is against lookups of keys of its own state bytes\n\n",
               small.inserts_per_second / 1e6, small.lookups_per_second / 1e6);
    fmt::print("| configuration | alerts | properties | reductions | threads | store | states | transitions | seconds | states/s "
               "| transitions/s | of ceiling | state bytes | store bytes/state | peak bytes/state | peak MiB | complete |\n");
    fmt::print("|---|---|---|---|---|---|---|---|---|---|---|---|---|---|---|---|---|\n");
    std::fflush(stdout);
    std::map<std::size_t, double> lookup_ceiling;  // by state bytes, measured here so rows' peaks leave it out
    Rounds rounds;
    for (int round = 0; round < repeat; ++round)
        for (std::size_t k = 0; k < all.size(); ++k) {
            const Row& row = all[k];
            if ((quick && row.slow) || (!only.empty() && !only.contains(k + 1))) continue;
            const std::size_t bytes = system_of(row).packed_size();
            if (!lookup_ceiling.contains(bytes)) lookup_ceiling[bytes] = bench::measure_ceiling(bytes, 2'000'000).lookups_per_second;
            rounds[k].push_back(run_row_apart(row, limits, lookup_ceiling[bytes]));
        }
    if (repeat > 1) print_repeats(all, rounds);
}
