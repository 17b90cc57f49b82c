// Finding a procedure as the clerk types: by code, by words of the name, without diacritics,
// the version in force on the day.

#include "dossier/catalogue_search.hpp"

#include <gtest/gtest.h>

namespace motcua::dossier
{
namespace
{

config::Procedure procedure(std::string code, std::string name, std::optional<Date> from = std::nullopt)
{
    config::Procedure p;
    p.code = std::move(code);
    p.name = std::move(name);
    p.days = 3;
    p.effective_from = from;
    return p;
}

config::Register catalogue()
{
    config::Register reg;
    reg.procedures = {
        procedure("1.001193.000.00.00.H00", "Đăng ký khai sinh"),
        procedure("2.000908.000.00.00.H00", "Chứng thực bản sao từ bản chính"),
        procedure("2.000815.000.00.00.H00", "Chứng thực chữ ký trong các giấy tờ, văn bản"),
        procedure("1.004227.000.00.00.H00", "Xác nhận tình trạng hôn nhân"),
        procedure("1.003005.000.00.00.H00", "Đăng ký biến động quyền sử dụng đất"),
    };
    return reg;
}

const Date day{std::chrono::year{2025} / 7 / 1};

std::vector<std::string> codes(const std::vector<const config::Procedure*>& found)
{
    std::vector<std::string> out;
    for (const auto* p : found)
        out.push_back(p->code);
    return out;
}

TEST(CatalogueSearch, WordsWithoutDiacriticsFindTheName)
{
    auto reg = catalogue();
    EXPECT_EQ(codes(search_procedures(reg, "chung thuc", day, 20)),
              (std::vector<std::string>{"2.000908.000.00.00.H00", "2.000815.000.00.00.H00"}));
    // Words in any order, any case; đ typed as d.
    EXPECT_EQ(codes(search_procedures(reg, "DAT dang ky", day, 20)),
              (std::vector<std::string>{"1.003005.000.00.00.H00"}));
    // With diacritics, composed or decomposed (NFD "ư" + combining marks), the same.
    EXPECT_EQ(codes(search_procedures(reg, "Chứng thực chữ ký", day, 20)),
              (std::vector<std::string>{"2.000815.000.00.00.H00"}));
    EXPECT_EQ(codes(search_procedures(reg, "hon nha\xcc\x82n", day, 20)),
              (std::vector<std::string>{"1.004227.000.00.00.H00"}));
}

TEST(CatalogueSearch, CodeMatchesComeFirstAndPrefixesBeforeInfixes)
{
    auto reg = catalogue();
    reg.procedures.push_back(procedure("9.999999.H00", "Thủ tục 2.000908 đã bãi bỏ"));
    EXPECT_EQ(codes(search_procedures(reg, "2.000908", day, 20)),
              (std::vector<std::string>{"2.000908.000.00.00.H00", "9.999999.H00"}));
    EXPECT_EQ(codes(search_procedures(reg, "004227", day, 20)), (std::vector<std::string>{"1.004227.000.00.00.H00"}));
    EXPECT_EQ(codes(search_procedures(reg, "h00", day, 2)),
              (std::vector<std::string>{"1.001193.000.00.00.H00", "2.000908.000.00.00.H00"}));
}

TEST(CatalogueSearch, NameStartingWithTheQueryBeforeNamesHoldingIt)
{
    auto reg = catalogue();
    EXPECT_EQ(codes(search_procedures(reg, "dang ky", day, 20)),
              (std::vector<std::string>{"1.001193.000.00.00.H00", "1.003005.000.00.00.H00"}));
    EXPECT_EQ(codes(search_procedures(reg, "ky", day, 20)),
              (std::vector<std::string>{"1.001193.000.00.00.H00", "2.000815.000.00.00.H00", "1.003005.000.00.00.H00"}));
}

TEST(CatalogueSearch, EmptyQueryListsTheCatalogueUpToTheLimit)
{
    auto reg = catalogue();
    EXPECT_EQ(search_procedures(reg, "", day, 20).size(), 5u);
    EXPECT_EQ(search_procedures(reg, "   ", day, 3).size(), 3u);
    EXPECT_TRUE(search_procedures(reg, "khai tu", day, 20).empty());
}

TEST(CatalogueSearch, TheVersionInForceOnTheDayIsTheOneFound)
{
    auto reg = catalogue();
    auto later = procedure("1.001193.000.00.00.H00", "Đăng ký khai sinh (NĐ 118)", Date{std::chrono::year{2025} / 7 / 1});
    reg.procedures.push_back(later);
    reg.procedures.push_back(procedure("3.000001.H00", "Thủ tục mới", Date{std::chrono::year{2026} / 1 / 1}));

    auto before = search_procedures(reg, "khai sinh", Date{std::chrono::year{2025} / 6 / 30}, 20);
    ASSERT_EQ(before.size(), 1u);
    EXPECT_EQ(before[0]->name, "Đăng ký khai sinh");
    auto on = search_procedures(reg, "khai sinh", day, 20);
    ASSERT_EQ(on.size(), 1u); // one procedure, not one per version
    EXPECT_EQ(on[0]->name, "Đăng ký khai sinh (NĐ 118)");
    // Not yet in force: not offered.
    EXPECT_TRUE(search_procedures(reg, "thu tuc moi", day, 20).empty());
}

} // namespace
} // namespace motcua::dossier
