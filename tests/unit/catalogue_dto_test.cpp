#include "catalogue/dto.hpp"

#include <gtest/gtest.h>

namespace janji::catalogue {
namespace {

TEST(CatalogueJsonText, NoPackagesIsAnEmptyArray) {
  EXPECT_EQ(to_json_text({}), "[]");
}

TEST(CatalogueJsonText, WritesPackageReadWithTypesAndTwoDecimalPrices) {
  const std::vector<Package> packages = {
      {1,
       "Wedding",
       "Full day",
       {{3, 1, "Akad", std::nullopt, 150'000'000}, {4, 1, "Resepsi", "Evening", 5}}},
      {2, "Graduation", std::nullopt, {}}};
  EXPECT_EQ(to_json_text(packages),
            R"([{"id":1,"name":"Wedding","description":"Full day","service_types":[)"
            R"({"id":3,"package_id":1,"name":"Akad","description":null,"price":"1500000.00"},)"
            R"({"id":4,"package_id":1,"name":"Resepsi","description":"Evening","price":"0.05"}]},)"
            R"({"id":2,"name":"Graduation","description":null,"service_types":[]}])");
}

}  // namespace
}  // namespace janji::catalogue
