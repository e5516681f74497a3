#include "cli/verdicts.hpp"

#include <algorithm>

#include <fmt/format.h>

#include "cli/config_yaml.hpp"
#include "cli/suggest.hpp"

namespace alertflow::cli {

using checker::Verdict;

std::string_view verdict_name(Verdict verdict) {
    switch (verdict) {
    case Verdict::Holds: return "holds";
    case Verdict::Violated: return "violated";
    case Verdict::Unknown: return "unknown";
    }
    return "?";
}

std::string_view verdict_mark(Verdict verdict) {
    switch (verdict) {
    case Verdict::Holds: return "\u2713";
    case Verdict::Violated: return "\u2717";
    case Verdict::Unknown: return "?";
    }
    return "?";
}

std::vector<const properties::Property*> resolve_properties(const std::vector<std::string>& ids, std::string_view option) {
    std::vector<const properties::Property*> chosen;
    std::vector<std::string_view> known;
    for (const auto& p : properties::catalog()) known.push_back(p.id);
    for (const std::string& id : ids) {
        const properties::Property* p = properties::find(id);
        if (!p) {
            const auto guess = closest(id, known);
            throw ConfigError(fmt::format("{} {}: unknown property id{} (`alertflow properties` lists them)", option, id,
                                          guess ? fmt::format("; did you mean '{}'?", *guess) : ""));
        }
        if (std::find(chosen.begin(), chosen.end(), p) == chosen.end()) chosen.push_back(p);
    }
    return chosen;
}

std::vector<const properties::Property*> choose_properties(const std::vector<std::string>& ids, std::string_view option) {
    return ids.empty() ? properties::whole_catalog() : resolve_properties(ids, option);
}

int exit_code_of(const properties::Result& result) {
    bool unknown = false;
    for (const auto& c : result.checks) {
        if (c.verdict == Verdict::Violated) return kViolated;
        unknown |= c.verdict == Verdict::Unknown;
    }
    return unknown ? kIncomplete : kAllHold;
}

}  // namespace alertflow::cli
