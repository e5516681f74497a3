#pragma once
// The property catalog: what users want proved or refuted about a connector set-up.
// A property is data plus one predicate over the global state. Invariants must hold in every
// reachable state; "eventually" properties must hold at the end of every complete run (a state
// where no connector, rule or sync has anything left to do: under fairness, what stays possible
// eventually happens, while analysts and faults may or may not act).
#include <cstdint>
#include <string_view>
#include <vector>

#include "checker/property.hpp"
#include "model/state.hpp"

namespace alertflow::properties {

using checker::PropertyKind;

struct Property {
    std::string_view id;         // stable kebab-case id
    PropertyKind kind;
    std::string_view meaning;    // one sentence, in the domain's words
    std::string_view speaks_to;  // the observed behaviours (DOMAIN.md B-items) it speaks to
    bool (*holds)(const model::State&);
    std::uint32_t reads = ~std::uint32_t{0};  // the facts the predicate reads (model::facts), so checks
                                              // that leave the rows alone run on the model without them
    bool reads_rows() const { return (reads & model::facts::rows) != 0; }
};

// Every property, in catalog order.
const std::vector<Property>& catalog();

// The property with this id, or nullptr.
const Property* find(std::string_view id);

// What the checker needs of a property.
checker::Check<model::State> to_check(const Property& property);

std::string_view kind_name(PropertyKind kind);  // "invariant" | "eventually"

}  // namespace alertflow::properties
