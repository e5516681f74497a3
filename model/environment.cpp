#include "model/environment.hpp"

namespace alertflow::model::environment {

SubscriptionTable make_subscription_table() {
    return derive_table<SubscriptionTable, SubscriptionMachine, SubscriptionEvents>([](SubscriptionMachine&) {});
}

AnalystsTable make_analysts_table(const AnalystAttributes& a) {
    return derive_table<AnalystsTable, AnalystsMachine, AnalystEvents>([&](AnalystsMachine& m) {
        m.close_in_mdc = a.close_in_mdc;
        m.reopen_in_mdc = a.reopen_in_mdc;
        m.close_in_sentinel = a.close_in_sentinel;
        m.close_in_xdr = a.close_in_xdr;
    });
}

}  // namespace alertflow::model::environment
