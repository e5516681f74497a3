#pragma once
// What every command says about verdicts: their names and marks, which properties were chosen,
// and the exit code a result gives.
#include <string>
#include <string_view>
#include <vector>

#include "cli/commands.hpp"
#include "properties/verify.hpp"

namespace alertflow::cli {

std::string_view verdict_name(checker::Verdict verdict);  // "holds" | "violated" | "unknown"
std::string_view verdict_mark(checker::Verdict verdict);  // "✓" | "✗" | "?"

// The properties with these ids, in the order given, each once. An unknown id throws
// ConfigError: "OPTION ID: unknown property id; did you mean '...'? (`alertflow properties` lists them)".
std::vector<const properties::Property*> resolve_properties(const std::vector<std::string>& ids,
                                                            std::string_view option = "--property");

// resolve_properties, except that no id at all means the whole catalog.
std::vector<const properties::Property*> choose_properties(const std::vector<std::string>& ids,
                                                           std::string_view option = "--property");

// kViolated if some check is violated, else kIncomplete if some is unknown, else kAllHold.
int exit_code_of(const properties::Result& result);

}  // namespace alertflow::cli
