#pragma once
// A counterexample as people and programs read it: numbered steps in the domain's words, the
// violating state in full, the property's meaning; and the same trace as JSON with the full
// state at every step.
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "properties/catalog.hpp"
#include "properties/verify.hpp"

namespace alertflow::traces {

// "0. set-up: ...", "1. Defender for Cloud raises alert A1 in subscription S1", each step
// followed by "   changed: <field>: <before> -> <after>; ..."
std::vector<std::string> numbered_steps(const model::Config& config, const properties::Trace& trace);

// Steps, then "Violating state:" and its lines, then "Meaning: ...".
std::vector<std::string> counterexample_lines(const model::Config& config, const properties::Property& property,
                                              const properties::Trace& trace);

// [{"step": 0, "actor": "set-up", "action": "...", "changes": [{"path", "before", "after"}], "state": {...}}, ...]
nlohmann::json trace_json(const model::Config& config, const properties::Trace& trace);

}  // namespace alertflow::traces
