#pragma once
// Reading a machine's transition table at compile time, for pictures.
//
// A component's state diagram is drawn from its Boost.MSM front-end's `transition_table` itself,
// row by row, so the picture cannot drift from the code: add a row and the diagram gains an edge.
// Names come from the types: boost::core::demangle(typeid(T).name()) without namespaces and
// without a trailing '_' (`alertflow::model::mdc_alert::Machine_::Active` is `Active`). A guard
// `SwitchesOn<&Machine_::reopen_allowed>` is named after its switches (`reopen_allowed`; several
// are joined with " and "); `none` (no guard, no action) is the empty string.
#include <cstddef>
#include <string>
#include <string_view>
#include <typeinfo>
#include <vector>

#include <boost/core/demangle.hpp>
#include <boost/mpl/for_each.hpp>
#include <boost/mpl/size.hpp>

#include "model/msm_front.hpp"

namespace alertflow::model {

// One row of a transition table, by name.
struct Edge {
    std::string source;
    std::string event;
    std::string target;
    std::string guard;   // "" for none
    std::string action;  // "" for none
    friend bool operator==(const Edge&, const Edge&) = default;
};

// A machine's picture as data: its initial state, every state (the initial one first, then in
// the order the rows name them) and one edge per row, in table order.
struct MachineDiagram {
    std::string initial;
    std::vector<std::string> states;
    std::vector<Edge> edges;
};

namespace diagram_detail {

inline bool is_name_char(char c) {
    return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '_' || c == ':';
}

// Every qualified name in a demangled type loses its namespaces and enclosing classes and any
// trailing '_': "ns::Machine_::Active" -> "Active", "ns::F<ns::G_>" -> "F<G>".
inline std::string short_name(std::string_view demangled) {
    std::string text(demangled);
    for (const std::string_view anonymous : {"(anonymous namespace)::", "{anonymous}::"})
        for (auto at = text.find(anonymous); at != std::string::npos; at = text.find(anonymous))
            text.erase(at, anonymous.size());
    std::string out;
    std::size_t i = 0;
    while (i < text.size()) {
        if (!is_name_char(text[i])) {
            out += text[i++];
            continue;
        }
        std::size_t end = i;
        while (end < text.size() && is_name_char(text[end])) ++end;
        std::string_view word(text.data() + i, end - i);
        if (const auto colons = word.rfind("::"); colons != std::string_view::npos) word.remove_prefix(colons + 2);
        while (word.size() > 1 && word.back() == '_') word.remove_suffix(1);
        out += word;
        i = end;
    }
    return out;
}

template <class T>
std::string type_name() {
    return short_name(boost::core::demangle(typeid(T).name()));
}

// The member a configuration switch names: `SwitchesOn<&ns::Machine_::reopen_allowed>` demangles
// with the member's qualified name as the template argument; keep its last component.
template <auto Switch>
std::string switch_name() {
    const std::string shortened = type_name<SwitchesOn<Switch>>();  // "SwitchesOn<&reopen_allowed>"
    const auto open = shortened.find('<');
    const auto close = shortened.rfind('>');
    if (open == std::string::npos || close == std::string::npos || close < open) return shortened;
    std::string member = shortened.substr(open + 1, close - open - 1);
    std::string out;
    for (char c : member)
        if (c != '&' && c != ' ' && c != '(' && c != ')') out += c;
    return out;
}

template <class Functor>
struct FunctorName {
    static std::string get() { return type_name<Functor>(); }
};
template <>
struct FunctorName<none> {
    static std::string get() { return ""; }
};
template <auto... Switches>
struct FunctorName<SwitchesOn<Switches...>> {
    static std::string get() {
        std::string out;
        ((out += (out.empty() ? "" : " and ") + switch_name<Switches>()), ...);
        return out;
    }
};

template <class W>
struct unwrap_row;
template <class Row>
struct unwrap_row<boost::msm::wrap<Row>> {
    using type = Row;
};

}  // namespace diagram_detail

// How many rows the machine's transition table has.
template <class Front>
inline constexpr std::size_t transition_count = boost::mpl::size<typename Front::transition_table>::value;

// One Edge per row of `Front::transition_table`, in table order (msm::front::Row: Source, Evt,
// Target, Action, Guard).
template <class Front>
std::vector<Edge> transitions_of() {
    std::vector<Edge> edges;
    edges.reserve(transition_count<Front>);
    boost::mpl::for_each<typename Front::transition_table, boost::msm::wrap<boost::mpl::placeholders::_1>>([&](auto w) {
        using R = typename diagram_detail::unwrap_row<decltype(w)>::type;
        edges.push_back({diagram_detail::type_name<typename R::Source>(), diagram_detail::type_name<typename R::Evt>(),
                         diagram_detail::type_name<typename R::Target>(),
                         diagram_detail::FunctorName<typename R::Guard>::get(),
                         diagram_detail::FunctorName<typename R::Action>::get()});
    });
    return edges;
}

// The name of the state the machine starts in (single-region machines).
template <class Front>
std::string initial_state_of() {
    return diagram_detail::type_name<typename Front::initial_state>();
}

// The initial state first, then every other state in the order the rows first name it.
inline std::vector<std::string> states_in_order(const std::string& initial, const std::vector<Edge>& edges) {
    std::vector<std::string> states{initial};
    const auto add = [&](const std::string& s) {
        for (const auto& known : states)
            if (known == s) return;
        states.push_back(s);
    };
    for (const Edge& e : edges) {
        add(e.source);
        add(e.target);
    }
    return states;
}

template <class Front>
MachineDiagram diagram_of() {
    MachineDiagram d;
    d.initial = initial_state_of<Front>();
    d.edges = transitions_of<Front>();
    d.states = states_in_order(d.initial, d.edges);
    return d;
}

}  // namespace alertflow::model
