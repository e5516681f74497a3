#pragma once
// Checking a configuration against properties: one exploration of the product system evaluates
// every chosen property at once.
#include <vector>

#include "checker/explore.hpp"
#include "model/system.hpp"
#include "properties/catalog.hpp"

namespace alertflow::properties {

using Result = checker::Result<model::State, model::Action>;
using Trace = checker::Trace<model::State, model::Action>;

inline Result verify(const model::System& system, const std::vector<const Property*>& chosen,
                     const checker::Options& options = {}) {
    std::vector<checker::Check<model::State>> checks;
    for (const Property* p : chosen) checks.push_back(to_check(*p));
    return checker::explore(system, checks, options);
}

// Every property of the catalog, in catalog order.
inline std::vector<const Property*> whole_catalog() {
    std::vector<const Property*> all;
    for (const Property& p : catalog()) all.push_back(&p);
    return all;
}

}  // namespace alertflow::properties
