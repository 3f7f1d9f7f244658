// Normalisation helpers and the train/validation split.

#define BOOST_TEST_MODULE io_dataset
#include <boost/test/unit_test.hpp>

#include <ctnn/io/dataset.hpp>

#include <algorithm>
#include <array>
#include <cmath>
#include <vector>

BOOST_AUTO_TEST_CASE(standardization_gives_zero_mean_unit_variance)
{
    std::vector<std::array<double, 2>> x{{1, 10}, {2, 10}, {3, 10}, {6, 10}};
    auto const f = ctnn::io::fit_standardization<double, 2>(x);
    BOOST_TEST(f.offset[0] == 3.0);                     // mean of 1, 2, 3, 6
    BOOST_TEST(std::abs(f.scale[0] - 1 / std::sqrt(3.5)) < 1e-15); // population variance 14/4
    BOOST_TEST(f.scale[1] == 1.0);                      // constant feature: centred only
    f.apply(x);
    double mean = 0;
    double squares = 0;
    for (auto const& s : x) {
        mean += s[0];
        squares += s[0] * s[0];
        BOOST_TEST(s[1] == 0.0);
    }
    BOOST_TEST(std::abs(mean) < 1e-15);
    BOOST_TEST(std::abs(squares / 4 - 1) < 1e-15);
}

BOOST_AUTO_TEST_CASE(min_max_maps_onto_the_unit_interval)
{
    std::vector<std::array<float, 1>> x{{-2}, {0}, {6}};
    ctnn::io::fit_min_max<float, 1>(x).apply(x);
    BOOST_TEST(x[0][0] == 0.0f);
    BOOST_TEST(x[1][0] == 0.25f);
    BOOST_TEST(x[2][0] == 1.0f);
}

BOOST_AUTO_TEST_CASE(split_keeps_pairs_and_sizes)
{
    std::vector<std::array<float, 1>> x(100);
    std::vector<std::size_t> t(100);
    for (std::size_t i = 0; i < 100; ++i) {
        x[i][0] = static_cast<float>(i);
        t[i] = i;
    }
    auto const split = ctnn::io::train_validation_split<std::array<float, 1>, std::size_t>(x, t, 0.2, 7);
    BOOST_TEST(split.validation_samples.size() == 20U);
    BOOST_TEST(split.train_samples.size() == 80U);
    std::vector<std::size_t> all;
    for (std::size_t i = 0; i < 80; ++i) {
        BOOST_TEST(split.train_samples[i][0] == static_cast<float>(split.train_targets[i]));
        all.push_back(split.train_targets[i]);
    }
    for (std::size_t i = 0; i < 20; ++i) {
        BOOST_TEST(split.validation_samples[i][0] == static_cast<float>(split.validation_targets[i]));
        all.push_back(split.validation_targets[i]);
    }
    std::sort(all.begin(), all.end());
    for (std::size_t i = 0; i < 100; ++i) {
        BOOST_TEST(all[i] == i);
    }
    // Seeded: the same seed, the same split; another seed, another split.
    auto const again = ctnn::io::train_validation_split<std::array<float, 1>, std::size_t>(x, t, 0.2, 7);
    auto const other = ctnn::io::train_validation_split<std::array<float, 1>, std::size_t>(x, t, 0.2, 8);
    BOOST_TEST(again.validation_targets == split.validation_targets, boost::test_tools::per_element());
    BOOST_TEST(other.validation_targets != split.validation_targets);
}
