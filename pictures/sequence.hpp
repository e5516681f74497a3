#pragma once
// A counterexample as a sequence diagram: one lifeline per component that takes part, one arrow
// per step from the acting component to the component it changes, and the knock-on effects
// inside the same step (syncs, a connector learning of a status change) as dashed arrows right
// after it. Every arrow carries its step's number, as in the text trace; step 0, the set-up, is
// a note across the lifelines.
//
// sequence_of builds the diagram as data; trace_mermaid, trace_dot and trace_svg draw it
// (the SVG by our own code: no outside program).
#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "model/system.hpp"
#include "properties/verify.hpp"

namespace alertflow::pictures {

// The lifelines, in the fixed order they are drawn in (left to right).
enum class Lifeline : std::uint8_t {
    Subscriptions,          // the Azure subscriptions (the environment creates late ones)
    Mdc,                    // Defender for Cloud (MDC)
    SubscriptionConnector,
    TenantConnector,
    DefenderXdr,
    XdrConnector,
    IncidentCreationRule,
    TimeWindowRule,
    SecurityAlertTable,
    SentinelIncidents,
    AutomationRule,
    Analyst,
};
inline constexpr int kLifelines = static_cast<int>(Lifeline::Analyst) + 1;

// "Defender for Cloud (MDC)", "Subscription connector", ..., "Analyst".
std::string_view lifeline_name(Lifeline lifeline);

struct Message {
    int step = 0;           // 1-based, as in the text trace
    Lifeline from{};
    Lifeline to{};
    std::string label;      // without the step number
    bool knock_on = false;  // an effect inside the step, not the step's own action
    friend bool operator==(const Message&, const Message&) = default;
};

struct Sequence {
    std::string set_up;                  // what step 0 says
    std::vector<Lifeline> participants;  // the lifelines some message touches, in the fixed order
    std::vector<Message> messages;       // in step order, each step's own action first
    int steps = 0;
};

Sequence sequence_of(const model::Config& config, const properties::Trace& trace);

// Mermaid `sequenceDiagram`.
std::string trace_mermaid(const model::Config& config, const properties::Trace& trace);
// Graphviz DOT: lifelines as chains of points, one rank per arrow.
std::string trace_dot(const model::Config& config, const properties::Trace& trace);
// A self-contained SVG document.
std::string trace_svg(const model::Config& config, const properties::Trace& trace);

// The same from a Sequence already built.
std::string sequence_mermaid(const Sequence& sequence);
std::string sequence_dot(const Sequence& sequence);
std::string sequence_svg(const Sequence& sequence);

}  // namespace alertflow::pictures
