#include "dossier/code.hpp"

#include <gtest/gtest.h>

namespace motcua::dossier
{
namespace
{

Date d(const char* text) { return *parse_date(text); }

TEST(DossierCode, FormatsTheRealExamples)
{
    // Thanh Hóa and Đắk Lắk codes quoted in domain.md §3.
    EXPECT_EQ(*format_code("000.17.22.H56", d("2021-05-31"), 1), "000.17.22.H56-210531-0001");
    EXPECT_EQ(*format_code("H15.50.05.13", d("2026-10-08"), 975), "H15.50.05.13-261008-0975");
    EXPECT_EQ(*format_code("X", d("2025-07-01"), 9999), "X-250701-9999");
}

TEST(DossierCode, ParsesBack)
{
    auto c = parse_code("000.17.22.H56-210531-0001");
    ASSERT_TRUE(c.ok()) << c.error().message;
    EXPECT_EQ(c->unit, "000.17.22.H56");
    EXPECT_EQ(c->date, d("2021-05-31"));
    EXPECT_EQ(c->sequence, 1);
    // A unit code holding '-' still splits from the right.
    auto dash = parse_code("UB-XA-250701-0042");
    ASSERT_TRUE(dash.ok());
    EXPECT_EQ(dash->unit, "UB-XA");
    EXPECT_EQ(dash->sequence, 42);
}

TEST(DossierCode, RejectsBadInput)
{
    EXPECT_EQ(format_code("000.17.22.H56", d("2025-07-01"), 10000).error().code, "sequence_exhausted");
    EXPECT_EQ(format_code("000.17.22.H56", d("2025-07-01"), 0).error().code, "sequence_exhausted");
    EXPECT_EQ(format_code("bad unit", d("2025-07-01"), 1).error().code, "invalid_unit_code");
    EXPECT_EQ(format_code("", d("2025-07-01"), 1).error().code, "invalid_unit_code");
    EXPECT_EQ(format_code("U", d("1999-12-31"), 1).error().code, "invalid_date");
    for (const char* bad : {"", "210531-0001", "U-210531-001", "U-210531-00A1", "U-211331-0001", "U-210230-0001",
                            "U-210531-0000", "U 1-210531-0001", "U_210531-0001"})
        EXPECT_FALSE(parse_code(bad).ok()) << bad;
}

} // namespace
} // namespace motcua::dossier
