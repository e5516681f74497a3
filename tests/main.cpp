// The Boost.Test main, compiled once for every suite.
#define BOOST_TEST_MODULE alertflow
#include <boost/test/unit_test.hpp>
