// The benchmark: the whole property catalog on the all-connectors configuration at growing
// scope, without and with symmetry reduction, one exploration per row (one thread), printed as
// a Markdown table the README quotes.
//   alertflow_bench [--max-states N] [--time-limit S] [--max-alerts K]
// Each row runs in a fresh child process so that its peak memory is its own.
#include <sys/resource.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cstdlib>
#include <cstring>
#include <string>

#include <fmt/format.h>

#include "bench/ceiling.hpp"
#include "cli/config_yaml.hpp"
#include "properties/verify.hpp"

namespace {

using namespace alertflow;

struct Scope {
    int alerts, subscriptions, late;
};

void run_row(const Scope& scope, const checker::Limits& limits, bool symmetry, double lookup_ceiling) {
    model::Config config = cli::load_config(std::string(ALERTFLOW_SOURCE_DIR) + "/configs/all_connectors.yaml");
    config.scope = {scope.subscriptions, scope.late, scope.alerts};
    const model::System system(config);
    const auto result = properties::verify(system, properties::whole_catalog(), {limits, nullptr, symmetry});
    const auto& s = result.stats;
    const double transitions_per_second = s.seconds > 0 ? static_cast<double>(s.transitions) / s.seconds : 0.0;
    fmt::print("| {} | {} ({} late) | {} | {} | {} | {} | {:.2f} | {:.0f} | {:.0f} | {:.2f} | {:.0f} | {:.1f} | {} |\n", scope.alerts,
               scope.subscriptions, scope.late, symmetry ? "symmetry" : "none", s.states, s.transitions, s.depth, s.seconds, s.states_per_second(),
               transitions_per_second, transitions_per_second / lookup_ceiling,
               s.states ? static_cast<double>(s.peak_memory_bytes) / static_cast<double>(s.states) : 0.0,
               static_cast<double>(s.peak_memory_bytes) / (1024.0 * 1024.0), s.complete ? "yes" : s.stop_reason);
    std::fflush(stdout);
}

}  // namespace

int main(int argc, char** argv) {
    checker::Limits limits{50'000'000, 1200, 20ull << 30};
    int max_alerts = 3;
    for (int i = 1; i + 1 < argc; i += 2) {
        if (!std::strcmp(argv[i], "--max-states")) limits.max_states = std::strtoull(argv[i + 1], nullptr, 10);
        else if (!std::strcmp(argv[i], "--time-limit")) limits.time_limit_seconds = std::strtod(argv[i + 1], nullptr);
        else if (!std::strcmp(argv[i], "--max-alerts")) max_alerts = std::atoi(argv[i + 1]);
    }
    fmt::print("sizeof(State) = {} bytes; limits: {} states, {} s, {} GiB\n", sizeof(model::State), limits.max_states,
               limits.time_limit_seconds, limits.max_memory_bytes >> 30);
    const auto ceiling = bench::measure_ceiling<model::State>(2'000'000);
    fmt::print("visited-set ceiling (boost::unordered_flat_set, {}-byte keys, XXH3, one core): {:.2f} M inserts/s, "
               "{:.2f} M lookups/s\n\n",
               sizeof(model::State), ceiling.inserts_per_second / 1e6, ceiling.lookups_per_second / 1e6);
    fmt::print("| alerts | subscriptions | reduction | states | transitions | depth | seconds | states/s | transitions/s | of ceiling | peak bytes/state | peak MiB | complete |\n");
    fmt::print("|---|---|---|---|---|---|---|---|---|---|---|---|---|\n");
    std::fflush(stdout);
    for (const Scope& scope : {Scope{1, 1, 0}, Scope{2, 1, 0}, Scope{3, 1, 0}, Scope{1, 2, 1}, Scope{2, 2, 1}}) {
        if (scope.alerts > max_alerts) continue;
        for (const bool symmetry : {false, true}) {
            if (const pid_t child = fork(); child == 0) {
                run_row(scope, limits, symmetry, ceiling.lookups_per_second);
                std::_Exit(0);
            } else {
                int status = 0;
                waitpid(child, &status, 0);
            }
        }
    }
}
