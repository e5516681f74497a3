#pragma once
// Component state diagrams, read from the Boost.MSM transition tables at compile time
// (model/msm_diagram.hpp), so a picture can never drift from the code it shows.
//
// The registry names every machine of the model; component_mermaid, component_dot and
// component_svg draw one (the SVG by our own code: a layered layout where a state's column is its
// BFS depth from the initial state; no outside program).
#include <string>
#include <string_view>
#include <vector>

#include "model/msm_diagram.hpp"

namespace alertflow::pictures {

struct ComponentDiagram {
    std::string name;       // registry name: "mdc-alert"
    std::string title;      // "MDC alert"
    std::string source;     // where the machine is written: "model/mdc_alert.hpp, mdc_alert::Machine_"
    std::string instances;  // "one per alert"
    std::string initial;    // the initial state
    std::vector<std::string> states;  // initial first, then in the order the rows name them
    std::vector<model::Edge> edges;   // one per transition-table row, in table order
};

// "mdc-alert", "subscription-coverage", "subscription-forwarding", "tenant-connector",
// "defender-xdr", "xdr-connector", "incident-creation-rule", "security-alert-table",
// "sentinel-incident", "automation-rule", "subscription", "analysts".
std::vector<std::string_view> component_names();

// Throws std::invalid_argument naming the valid names for an unknown one.
ComponentDiagram component_diagram(std::string_view name);

// "Event [guard]", or "Event" without a guard: how an edge is labelled in every format.
std::string edge_label(const model::Edge& edge);

// Mermaid `stateDiagram-v2`, guards in brackets on the edges.
std::string component_mermaid(const ComponentDiagram& diagram);
// Graphviz DOT, left to right.
std::string component_dot(const ComponentDiagram& diagram);
// A self-contained SVG document.
std::string component_svg(const ComponentDiagram& diagram);

}  // namespace alertflow::pictures
