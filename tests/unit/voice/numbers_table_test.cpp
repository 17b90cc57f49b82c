// The Vietnamese number reading against a table written by hand from the rules (docs/voice.md),
// not from the code's output. Each row gives the northern reading and the southern one; "="
// marks a row whose southern reading is the same (no linh/lẻ, no nghìn/ngàn in it).

#include "voice/numbers.hpp"

#include <gtest/gtest.h>

#include <set>

namespace motcua::voice
{
namespace
{

struct Row
{
    std::int64_t n;
    const char* north;
    const char* south; // "=": same as north
};

// clang-format off
const Row kTable[] = {
    {0, "không", "="},
    {1, "một", "="},
    {2, "hai", "="},
    {3, "ba", "="},
    {4, "bốn", "="},
    {5, "năm", "="},
    {6, "sáu", "="},
    {7, "bảy", "="},
    {8, "tám", "="},
    {9, "chín", "="},
    {10, "mười", "="},
    {11, "mười một", "="},
    {12, "mười hai", "="},
    {13, "mười ba", "="},
    {14, "mười bốn", "="},
    {15, "mười lăm", "="},
    {16, "mười sáu", "="},
    {17, "mười bảy", "="},
    {18, "mười tám", "="},
    {19, "mười chín", "="},
    {20, "hai mươi", "="},
    {21, "hai mươi mốt", "="},
    {22, "hai mươi hai", "="},
    {23, "hai mươi ba", "="},
    {24, "hai mươi tư", "="},
    {25, "hai mươi lăm", "="},
    {26, "hai mươi sáu", "="},
    {27, "hai mươi bảy", "="},
    {28, "hai mươi tám", "="},
    {29, "hai mươi chín", "="},
    {30, "ba mươi", "="},
    {31, "ba mươi mốt", "="},
    {34, "ba mươi tư", "="},
    {35, "ba mươi lăm", "="},
    {40, "bốn mươi", "="},
    {41, "bốn mươi mốt", "="},
    {44, "bốn mươi tư", "="},
    {45, "bốn mươi lăm", "="},
    {50, "năm mươi", "="},
    {51, "năm mươi mốt", "="},
    {54, "năm mươi tư", "="},
    {55, "năm mươi lăm", "="},
    {59, "năm mươi chín", "="},
    {60, "sáu mươi", "="},
    {61, "sáu mươi mốt", "="},
    {65, "sáu mươi lăm", "="},
    {70, "bảy mươi", "="},
    {71, "bảy mươi mốt", "="},
    {74, "bảy mươi tư", "="},
    {77, "bảy mươi bảy", "="},
    {80, "tám mươi", "="},
    {81, "tám mươi mốt", "="},
    {85, "tám mươi lăm", "="},
    {88, "tám mươi tám", "="},
    {90, "chín mươi", "="},
    {91, "chín mươi mốt", "="},
    {94, "chín mươi tư", "="},
    {95, "chín mươi lăm", "="},
    {99, "chín mươi chín", "="},
    {100, "một trăm", "="},
    {101, "một trăm linh một", "một trăm lẻ một"},
    {102, "một trăm linh hai", "một trăm lẻ hai"},
    {103, "một trăm linh ba", "một trăm lẻ ba"},
    {104, "một trăm linh bốn", "một trăm lẻ bốn"},
    {105, "một trăm linh năm", "một trăm lẻ năm"},
    {106, "một trăm linh sáu", "một trăm lẻ sáu"},
    {107, "một trăm linh bảy", "một trăm lẻ bảy"},
    {108, "một trăm linh tám", "một trăm lẻ tám"},
    {109, "một trăm linh chín", "một trăm lẻ chín"},
    {110, "một trăm mười", "="},
    {111, "một trăm mười một", "="},
    {112, "một trăm mười hai", "="},
    {114, "một trăm mười bốn", "="},
    {115, "một trăm mười lăm", "="},
    {119, "một trăm mười chín", "="},
    {120, "một trăm hai mươi", "="},
    {121, "một trăm hai mươi mốt", "="},
    {124, "một trăm hai mươi tư", "="},
    {125, "một trăm hai mươi lăm", "="},
    {150, "một trăm năm mươi", "="},
    {155, "một trăm năm mươi lăm", "="},
    {199, "một trăm chín mươi chín", "="},
    {200, "hai trăm", "="},
    {201, "hai trăm linh một", "hai trăm lẻ một"},
    {204, "hai trăm linh bốn", "hai trăm lẻ bốn"},
    {205, "hai trăm linh năm", "hai trăm lẻ năm"},
    {210, "hai trăm mười", "="},
    {211, "hai trăm mười một", "="},
    {214, "hai trăm mười bốn", "="},
    {215, "hai trăm mười lăm", "="},
    {221, "hai trăm hai mươi mốt", "="},
    {245, "hai trăm bốn mươi lăm", "="},
    {250, "hai trăm năm mươi", "="},
    {299, "hai trăm chín mươi chín", "="},
    {300, "ba trăm", "="},
    {301, "ba trăm linh một", "ba trăm lẻ một"},
    {305, "ba trăm linh năm", "ba trăm lẻ năm"},
    {311, "ba trăm mười một", "="},
    {315, "ba trăm mười lăm", "="},
    {331, "ba trăm ba mươi mốt", "="},
    {344, "ba trăm bốn mươi tư", "="},
    {355, "ba trăm năm mươi lăm", "="},
    {400, "bốn trăm", "="},
    {404, "bốn trăm linh bốn", "bốn trăm lẻ bốn"},
    {405, "bốn trăm linh năm", "bốn trăm lẻ năm"},
    {414, "bốn trăm mười bốn", "="},
    {444, "bốn trăm bốn mươi tư", "="},
    {455, "bốn trăm năm mươi lăm", "="},
    {500, "năm trăm", "="},
    {501, "năm trăm linh một", "năm trăm lẻ một"},
    {505, "năm trăm linh năm", "năm trăm lẻ năm"},
    {515, "năm trăm mười lăm", "="},
    {525, "năm trăm hai mươi lăm", "="},
    {555, "năm trăm năm mươi lăm", "="},
    {600, "sáu trăm", "="},
    {601, "sáu trăm linh một", "sáu trăm lẻ một"},
    {610, "sáu trăm mười", "="},
    {666, "sáu trăm sáu mươi sáu", "="},
    {700, "bảy trăm", "="},
    {707, "bảy trăm linh bảy", "bảy trăm lẻ bảy"},
    {711, "bảy trăm mười một", "="},
    {771, "bảy trăm bảy mươi mốt", "="},
    {800, "tám trăm", "="},
    {808, "tám trăm linh tám", "tám trăm lẻ tám"},
    {815, "tám trăm mười lăm", "="},
    {899, "tám trăm chín mươi chín", "="},
    {900, "chín trăm", "="},
    {901, "chín trăm linh một", "chín trăm lẻ một"},
    {904, "chín trăm linh bốn", "chín trăm lẻ bốn"},
    {909, "chín trăm linh chín", "chín trăm lẻ chín"},
    {910, "chín trăm mười", "="},
    {914, "chín trăm mười bốn", "="},
    {924, "chín trăm hai mươi tư", "="},
    {981, "chín trăm tám mươi mốt", "="},
    {995, "chín trăm chín mươi lăm", "="},
    {999, "chín trăm chín mươi chín", "="},
    {1000, "một nghìn", "một ngàn"},
    {1001, "một nghìn không trăm linh một", "một ngàn không trăm lẻ một"},
    {1002, "một nghìn không trăm linh hai", "một ngàn không trăm lẻ hai"},
    {1004, "một nghìn không trăm linh bốn", "một ngàn không trăm lẻ bốn"},
    {1005, "một nghìn không trăm linh năm", "một ngàn không trăm lẻ năm"},
    {1009, "một nghìn không trăm linh chín", "một ngàn không trăm lẻ chín"},
    {1010, "một nghìn không trăm mười", "một ngàn không trăm mười"},
    {1011, "một nghìn không trăm mười một", "một ngàn không trăm mười một"},
    {1014, "một nghìn không trăm mười bốn", "một ngàn không trăm mười bốn"},
    {1015, "một nghìn không trăm mười lăm", "một ngàn không trăm mười lăm"},
    {1020, "một nghìn không trăm hai mươi", "một ngàn không trăm hai mươi"},
    {1021, "một nghìn không trăm hai mươi mốt", "một ngàn không trăm hai mươi mốt"},
    {1024, "một nghìn không trăm hai mươi tư", "một ngàn không trăm hai mươi tư"},
    {1025, "một nghìn không trăm hai mươi lăm", "một ngàn không trăm hai mươi lăm"},
    {1050, "một nghìn không trăm năm mươi", "một ngàn không trăm năm mươi"},
    {1099, "một nghìn không trăm chín mươi chín", "một ngàn không trăm chín mươi chín"},
    {1100, "một nghìn một trăm", "một ngàn một trăm"},
    {1101, "một nghìn một trăm linh một", "một ngàn một trăm lẻ một"},
    {1105, "một nghìn một trăm linh năm", "một ngàn một trăm lẻ năm"},
    {1110, "một nghìn một trăm mười", "một ngàn một trăm mười"},
    {1111, "một nghìn một trăm mười một", "một ngàn một trăm mười một"},
    {1115, "một nghìn một trăm mười lăm", "một ngàn một trăm mười lăm"},
    {1200, "một nghìn hai trăm", "một ngàn hai trăm"},
    {1234, "một nghìn hai trăm ba mươi tư", "một ngàn hai trăm ba mươi tư"},
    {1245, "một nghìn hai trăm bốn mươi lăm", "một ngàn hai trăm bốn mươi lăm"},
    {1500, "một nghìn năm trăm", "một ngàn năm trăm"},
    {1505, "một nghìn năm trăm linh năm", "một ngàn năm trăm lẻ năm"},
    {1999, "một nghìn chín trăm chín mươi chín", "một ngàn chín trăm chín mươi chín"},
    {2000, "hai nghìn", "hai ngàn"},
    {2001, "hai nghìn không trăm linh một", "hai ngàn không trăm lẻ một"},
    {2005, "hai nghìn không trăm linh năm", "hai ngàn không trăm lẻ năm"},
    {2010, "hai nghìn không trăm mười", "hai ngàn không trăm mười"},
    {2015, "hai nghìn không trăm mười lăm", "hai ngàn không trăm mười lăm"},
    {2021, "hai nghìn không trăm hai mươi mốt", "hai ngàn không trăm hai mươi mốt"},
    {2024, "hai nghìn không trăm hai mươi tư", "hai ngàn không trăm hai mươi tư"},
    {2025, "hai nghìn không trăm hai mươi lăm", "hai ngàn không trăm hai mươi lăm"},
    {2100, "hai nghìn một trăm", "hai ngàn một trăm"},
    {2345, "hai nghìn ba trăm bốn mươi lăm", "hai ngàn ba trăm bốn mươi lăm"},
    {3000, "ba nghìn", "ba ngàn"},
    {3003, "ba nghìn không trăm linh ba", "ba ngàn không trăm lẻ ba"},
    {3030, "ba nghìn không trăm ba mươi", "ba ngàn không trăm ba mươi"},
    {3300, "ba nghìn ba trăm", "ba ngàn ba trăm"},
    {3333, "ba nghìn ba trăm ba mươi ba", "ba ngàn ba trăm ba mươi ba"},
    {4000, "bốn nghìn", "bốn ngàn"},
    {4004, "bốn nghìn không trăm linh bốn", "bốn ngàn không trăm lẻ bốn"},
    {4014, "bốn nghìn không trăm mười bốn", "bốn ngàn không trăm mười bốn"},
    {4044, "bốn nghìn không trăm bốn mươi tư", "bốn ngàn không trăm bốn mươi tư"},
    {4444, "bốn nghìn bốn trăm bốn mươi tư", "bốn ngàn bốn trăm bốn mươi tư"},
    {5000, "năm nghìn", "năm ngàn"},
    {5005, "năm nghìn không trăm linh năm", "năm ngàn không trăm lẻ năm"},
    {5015, "năm nghìn không trăm mười lăm", "năm ngàn không trăm mười lăm"},
    {5055, "năm nghìn không trăm năm mươi lăm", "năm ngàn không trăm năm mươi lăm"},
    {5555, "năm nghìn năm trăm năm mươi lăm", "năm ngàn năm trăm năm mươi lăm"},
    {6001, "sáu nghìn không trăm linh một", "sáu ngàn không trăm lẻ một"},
    {6061, "sáu nghìn không trăm sáu mươi mốt", "sáu ngàn không trăm sáu mươi mốt"},
    {6600, "sáu nghìn sáu trăm", "sáu ngàn sáu trăm"},
    {7007, "bảy nghìn không trăm linh bảy", "bảy ngàn không trăm lẻ bảy"},
    {7070, "bảy nghìn không trăm bảy mươi", "bảy ngàn không trăm bảy mươi"},
    {7777, "bảy nghìn bảy trăm bảy mươi bảy", "bảy ngàn bảy trăm bảy mươi bảy"},
    {8008, "tám nghìn không trăm linh tám", "tám ngàn không trăm lẻ tám"},
    {8181, "tám nghìn một trăm tám mươi mốt", "tám ngàn một trăm tám mươi mốt"},
    {8800, "tám nghìn tám trăm", "tám ngàn tám trăm"},
    {9000, "chín nghìn", "chín ngàn"},
    {9009, "chín nghìn không trăm linh chín", "chín ngàn không trăm lẻ chín"},
    {9090, "chín nghìn không trăm chín mươi", "chín ngàn không trăm chín mươi"},
    {9105, "chín nghìn một trăm linh năm", "chín ngàn một trăm lẻ năm"},
    {9900, "chín nghìn chín trăm", "chín ngàn chín trăm"},
    {9915, "chín nghìn chín trăm mười lăm", "chín ngàn chín trăm mười lăm"},
    {9999, "chín nghìn chín trăm chín mươi chín", "chín ngàn chín trăm chín mươi chín"},
    {10000, "mười nghìn", "mười ngàn"},
    {10001, "mười nghìn không trăm linh một", "mười ngàn không trăm lẻ một"},
    {10500, "mười nghìn năm trăm", "mười ngàn năm trăm"},
    {11000, "mười một nghìn", "mười một ngàn"},
    {14000, "mười bốn nghìn", "mười bốn ngàn"},
    {15000, "mười lăm nghìn", "mười lăm ngàn"},
    {15015, "mười lăm nghìn không trăm mười lăm", "mười lăm ngàn không trăm mười lăm"},
    {20000, "hai mươi nghìn", "hai mươi ngàn"},
    {21000, "hai mươi mốt nghìn", "hai mươi mốt ngàn"},
    {24000, "hai mươi tư nghìn", "hai mươi tư ngàn"},
    {25025, "hai mươi lăm nghìn không trăm hai mươi lăm", "hai mươi lăm ngàn không trăm hai mươi lăm"},
    {99999, "chín mươi chín nghìn chín trăm chín mươi chín", "chín mươi chín ngàn chín trăm chín mươi chín"},
    {100000, "một trăm nghìn", "một trăm ngàn"},
    {101000, "một trăm linh một nghìn", "một trăm lẻ một ngàn"},
    {105005, "một trăm linh năm nghìn không trăm linh năm", "một trăm lẻ năm ngàn không trăm lẻ năm"},
    {110000, "một trăm mười nghìn", "một trăm mười ngàn"},
    {115115, "một trăm mười lăm nghìn một trăm mười lăm", "một trăm mười lăm ngàn một trăm mười lăm"},
    {200400, "hai trăm nghìn bốn trăm", "hai trăm ngàn bốn trăm"},
    {999999, "chín trăm chín mươi chín nghìn chín trăm chín mươi chín",
     "chín trăm chín mươi chín ngàn chín trăm chín mươi chín"},
};
// clang-format on

TEST(VoiceNumbers, TableHasEnoughDistinctNumbers)
{
    std::set<std::int64_t> seen;
    for (const auto& row : kTable)
        EXPECT_TRUE(seen.insert(row.n).second) << row.n << " is in the table twice";
    EXPECT_GE(seen.size(), 200u);
}

TEST(VoiceNumbers, NorthernReading)
{
    NumberStyle north{Dialect::north, true};
    for (const auto& row : kTable)
        EXPECT_EQ(number_words(row.n, north), row.north) << row.n;
}

TEST(VoiceNumbers, SouthernReading)
{
    NumberStyle south{Dialect::south, true};
    for (const auto& row : kTable)
    {
        std::string expected = std::string(row.south) == "=" ? row.north : row.south;
        EXPECT_EQ(number_words(row.n, south), expected) << row.n;
    }
}

TEST(VoiceNumbers, FourAfterTensCanBeBon)
{
    NumberStyle bon{Dialect::north, false};
    EXPECT_EQ(number_words(24, bon), "hai mươi bốn");
    EXPECT_EQ(number_words(94, bon), "chín mươi bốn");
    EXPECT_EQ(number_words(1024, bon), "một nghìn không trăm hai mươi bốn");
    EXPECT_EQ(number_words(14, bon), "mười bốn");
    EXPECT_EQ(number_words(104, bon), "một trăm linh bốn");
    // Only the 4: the other rules still apply.
    EXPECT_EQ(number_words(25, bon), "hai mươi lăm");
    EXPECT_EQ(number_words(21, bon), "hai mươi mốt");
}

TEST(VoiceNumbers, OutOfRangeIsReadDigitByDigit)
{
    NumberStyle north;
    EXPECT_EQ(number_words(1000000, north), "một không không không không không không");
    EXPECT_EQ(number_words(-5, north), "năm");
}

TEST(VoiceNumbers, DigitByDigit)
{
    EXPECT_EQ(digit_words("0105"), "không một không năm");
    EXPECT_EQ(digit_words("15"), "một năm");
    EXPECT_EQ(digit_words("TP-24"), "hai bốn");
    EXPECT_EQ(digit_words(""), "");
}

TEST(VoiceNumbers, DialectNames)
{
    EXPECT_EQ(dialect_from_string("north"), Dialect::north);
    EXPECT_EQ(dialect_from_string("south"), Dialect::south);
    EXPECT_EQ(dialect_from_string("central"), std::nullopt);
    EXPECT_EQ(to_string(Dialect::south), "south");
}

} // namespace
} // namespace motcua::voice
