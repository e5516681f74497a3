#pragma once
// `alertflow compare subscription tenant`: the report's side-by-side comparison of the two MDC
// connectors, regenerated from the model's verdicts rather than from its text. Every cell is
// decided by properties checked (or rows read) on named configurations, printed beside it.
#include <array>
#include <iosfwd>
#include <string>
#include <vector>

#include "checker/result.hpp"

namespace alertflow::cli {

enum class MdcConnector { Subscription, Tenant };

// What decides a cell: a property (or a scenario read off the explored states) on one configuration.
struct Evidence {
    std::string backing;        // property id, or "SecurityAlert row links (security_alert_table::link)"
    checker::Verdict verdict;   // the property's verdict; for a row scenario, Violated = "such a row is reachable"
    std::string finding;        // verdict in words: "holds", "violated", "a row with link portal.azure.com is reachable"
    std::string configuration;  // describe_knobs() of the configuration, with its scope when not the default
};

struct CompareCell {
    std::string answer;  // "yes", "no", "yes with ... on; no with it off", "portal.azure.com", ...
    std::vector<Evidence> evidence;
};

struct CompareRow {
    std::string aspect;    // "bi-directional sync"
    std::string question;  // what the cell answers
    std::array<CompareCell, 2> cells;  // indexed by MdcConnector
};

// Explores the configurations behind every cell (scope: one alert; the XDR connector off, as in
// the report's table) and reads the answers off the verdicts. Rows, in order: scope of
// collection, bi-directional sync, dependence on the XDR setting, link in the rows, needs the
// incident creation rule, duplicates when both are on.
std::vector<CompareRow> compare_connectors(unsigned threads = 0);

// `connectors` must be exactly "subscription" and "tenant", in either order (the columns' order);
// anything else: one line on `err`, exit 2. Exit 3 if some verdict behind a cell is unknown.
int run_compare(const std::vector<std::string>& connectors, std::ostream& out, std::ostream& err);

}  // namespace alertflow::cli
