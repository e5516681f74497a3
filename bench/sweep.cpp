// The sweep benchmark: `alertflow matrix` over the whole catalog (every knob combination, one
// exploration each) at growing scope, on one thread and on every core, as a Markdown table.
//   alertflow_sweep_bench [--max-alerts K] [--threads N] [--max-states N] [--time-limit S]
// --threads N measures 1 and N threads (default: std::thread::hardware_concurrency()).
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <string>
#include <vector>

#include <fmt/format.h>

#include "cli/matrix.hpp"

namespace {

using namespace alertflow;

struct Row {
    std::size_t configurations = 0;
    double seconds = 0;
    std::uint64_t states = 0;
    std::size_t unknown = 0;  // configurations stopped by a limit
};

Row sweep(int alerts, unsigned threads, const checker::Limits& limits) {
    const cli::Sweep s = cli::expand_sweep(std::nullopt, fmt::format("alerts={}", alerts), std::nullopt);
    const auto start = std::chrono::steady_clock::now();
    const auto results = cli::verify_each(s.configs, properties::whole_catalog(), limits, threads, false);
    Row row{s.configs.size(), std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count(), 0, 0};
    for (const auto& r : results) {
        row.states += r.stats.states;
        row.unknown += !r.stats.complete && r.stats.stop_reason != "every property already violated";
    }
    return row;
}

}  // namespace

int main(int argc, char** argv) {
    checker::Limits limits{0, 0, 0};
    int max_alerts = 2;
    unsigned threads = cli::default_threads();
    for (int i = 1; i + 1 < argc; i += 2) {
        if (!std::strcmp(argv[i], "--max-alerts")) max_alerts = std::atoi(argv[i + 1]);
        else if (!std::strcmp(argv[i], "--threads")) threads = static_cast<unsigned>(std::max(1, std::atoi(argv[i + 1])));
        else if (!std::strcmp(argv[i], "--max-states")) limits.max_states = std::strtoull(argv[i + 1], nullptr, 10);
        else if (!std::strcmp(argv[i], "--time-limit")) limits.time_limit_seconds = std::strtod(argv[i + 1], nullptr);
    }
    fmt::print("Whole-catalog sweep (every knob combination; 1 subscription, no faults), {} hardware threads\n\n",
               cli::default_threads());
    fmt::print("| scope | configurations | threads | wall seconds | total states |\n|---|---|---|---|---|\n");
    std::fflush(stdout);
    std::vector<unsigned> counts{1};
    if (threads > 1) counts.push_back(threads);
    for (int alerts = 1; alerts <= max_alerts; ++alerts) {
        for (unsigned t : counts) {
            const Row r = sweep(alerts, t, limits);
            fmt::print("| alerts = {} | {} | {} | {:.2f} | {}{} |\n", alerts, r.configurations, t, r.seconds, r.states,
                       r.unknown ? fmt::format(" ({} stopped by a limit)", r.unknown) : "");
            std::fflush(stdout);
        }
    }
    return 0;
}
