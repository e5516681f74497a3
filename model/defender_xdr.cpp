#include "model/defender_xdr.hpp"

namespace alertflow::model::defender_xdr {

Table make_table(const Attributes& a) {
    return derive_table<Table, Machine, Events>([&](Machine& m) {
        m.all_alerts = a.all_alerts;
        m.correlation_fault = a.correlation_fault;
    });
}

}  // namespace alertflow::model::defender_xdr
