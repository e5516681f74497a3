#include "traces/trace.hpp"

#include <fmt/format.h>
#include <fmt/ranges.h>

#include "traces/changes.hpp"
#include "traces/narrate.hpp"

namespace alertflow::traces {

namespace {

constexpr const char* kSetUp = "the connectors, rules and subscriptions are set up as configured";

}  // namespace

std::vector<std::string> numbered_steps(const model::Config& config, const properties::Trace& trace) {
    std::vector<std::string> steps{fmt::format("0. set-up: {}", kSetUp)};
    for (std::size_t i = 0; i < trace.actions.size(); ++i) {
        steps.push_back(fmt::format("{}. {}", i + 1, describe_step(trace.states[i], trace.actions[i], trace.states[i + 1])));
        std::vector<std::string> changes;
        for (const FieldChange& c : changed_fields(config, trace.states[i], trace.states[i + 1]))
            changes.push_back(describe_change(c));
        steps.push_back(fmt::format("   changed: {}", fmt::join(changes, "; ")));
    }
    return steps;
}

std::vector<std::string> counterexample_lines(const model::Config& config, const properties::Property& property,
                                              const properties::Trace& trace) {
    std::vector<std::string> lines = numbered_steps(config, trace);
    lines.emplace_back("Violating state:");
    for (const std::string& line : describe_state(config, trace.states.back())) lines.push_back("  " + line);
    lines.push_back(fmt::format("Meaning: {}", property.meaning));
    return lines;
}

nlohmann::json trace_json(const model::Config& config, const properties::Trace& trace) {
    nlohmann::json steps = nlohmann::json::array();
    steps.push_back({{"step", 0},
                     {"actor", "set-up"},
                     {"action", kSetUp},
                     {"changes", nlohmann::json::array()},
                     {"state", state_json(config, trace.states[0])}});
    for (std::size_t i = 0; i < trace.actions.size(); ++i) {
        const auto& act = trace.actions[i];
        steps.push_back({{"step", i + 1},
                         {"actor", std::string(model::actor(act.kind))},
                         {"action", describe_step(trace.states[i], act, trace.states[i + 1])},
                         {"changes", changes_json(changed_fields(config, trace.states[i], trace.states[i + 1]))},
                         {"state", state_json(config, trace.states[i + 1])}});
    }
    return steps;
}

}  // namespace alertflow::traces
