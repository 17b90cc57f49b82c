// Template expansion, label reading, syllables and the clip list, from the rules in
// docs/voice.md.

#include "voice/announcement.hpp"

#include <gtest/gtest.h>

#include <algorithm>

namespace motcua::voice
{
namespace
{

Speech office()
{
    Speech s;
    s.counters = {1, 2, 3, 12};
    s.services["TP"] = ServiceSpeech{"TP-", "tư pháp", "", "", 1, 299};
    s.services["DD"] = ServiceSpeech{"DD-", "", "Mời số {number} lên {counter} để nộp hồ sơ đất đai", "", 300, 599};
    s.other_prefixes = {"UT-"};
    return s;
}

TEST(VoiceAnnouncement, TheIssueExample)
{
    auto s = office();
    EXPECT_EQ(announcement_text(Kind::call, "TP-105", "TP", 3, s),
              "Xin mời công dân có số thứ tự một trăm linh năm đến quầy số ba");
}

TEST(VoiceAnnouncement, RecallHasItsOwnTemplate)
{
    auto s = office();
    EXPECT_EQ(announcement_text(Kind::recall, "TP-015", "TP", 12, s),
              "Xin mời lần thứ hai, công dân có số thứ tự mười lăm đến quầy số mười hai");
}

TEST(VoiceAnnouncement, ServiceTemplateWinsForItsService)
{
    auto s = office();
    EXPECT_EQ(announcement_text(Kind::call, "DD-321", "DD", 2, s),
              "Mời số ba trăm hai mươi mốt lên quầy số hai để nộp hồ sơ đất đai");
    // No recall template of its own: the office's.
    EXPECT_EQ(announcement_text(Kind::recall, "DD-300", "DD", 2, s),
              "Xin mời lần thứ hai, công dân có số thứ tự ba trăm đến quầy số hai");
}

TEST(VoiceAnnouncement, SouthernDialectInTheWholeSentence)
{
    auto s = office();
    s.numbers.dialect = Dialect::south;
    EXPECT_EQ(announcement_text(Kind::call, "1005", "", 1, s),
              "Xin mời công dân có số thứ tự một ngàn không trăm lẻ năm đến quầy số một");
}

TEST(VoiceAnnouncement, DigitByDigitReadsThePrintedDigits)
{
    auto s = office();
    s.reading = Reading::digits;
    EXPECT_EQ(label_words("TP-015", "TP", s), "không một năm");
    EXPECT_EQ(label_words("1025", "", s), "một không hai năm");
}

TEST(VoiceAnnouncement, PrefixSpokenWhenTheSettingSaysSo)
{
    auto s = office();
    EXPECT_EQ(label_words("TP-024", "TP", s), "hai mươi tư");
    s.speak_prefix = true;
    EXPECT_EQ(label_words("TP-024", "TP", s), "tư pháp hai mươi tư");
    // No spoken form configured: the letters are spelled.
    EXPECT_EQ(label_words("DD-301", "DD", s), "dê dê ba trăm linh một");
    EXPECT_EQ(label_words("UT-011", "TP", s), "u tê mười một");
}

TEST(VoiceAnnouncement, CounterNamesFromConfigWithDigitsRead)
{
    auto s = office();
    s.counter_names[3] = "quầy 3, tư pháp";
    EXPECT_EQ(counter_words(3, s), "quầy ba, tư pháp");
    EXPECT_EQ(counter_words(21, s), "quầy số hai mươi mốt");
    s.counter_template = "bàn {counter_number}";
    EXPECT_EQ(counter_words(4, s), "bàn bốn");
}

TEST(VoiceAnnouncement, NoRawDigitsEverReachTheVoice)
{
    auto s = office();
    auto text = words_for_announcement("Số {number} mời 2 người tới {counter} phòng 104", "TP-024", 7, s);
    EXPECT_EQ(text, "Số hai mươi tư mời hai người tới quầy số bảy phòng một trăm linh bốn");
    EXPECT_EQ(text.find_first_of("0123456789"), std::string::npos);
}

TEST(VoiceAnnouncement, PlaceholderInALabelIsNotExpandedAgain)
{
    auto s = office();
    s.counter_names[1] = "{number}";
    EXPECT_EQ(words_for_announcement("{counter}", "5", 1, s), "{number}");
}

TEST(VoiceAnnouncement, TemplateCheck)
{
    std::vector<std::string_view> allowed{placeholder_number, placeholder_counter};
    EXPECT_EQ(check_template("Mời {number} đến {counter}", allowed), std::nullopt);
    EXPECT_EQ(check_template("Mời {numbr}", allowed), "unknown placeholder {numbr} (known: {number}, {counter})");
    EXPECT_EQ(check_template("Mời {number", allowed), "a '{' without its '}' at character 5");
    EXPECT_EQ(check_template("Mời number}", allowed), "a '}' without its '{' at character 11");
}

TEST(VoiceAnnouncement, SyllablesAreLowerCaseWithPauses)
{
    std::vector<std::string> expected{"xin", "mời", "lần", "thứ", "hai", ",", "công", "dân", "đến", "quầy", "số", "ba"};
    EXPECT_EQ(syllables("Xin mời lần thứ hai, công dân đến QUẦY số ba."), expected);
    // Combining marks (NFD) come out precomposed, dashes split, no trailing pause.
    EXPECT_EQ(syllables("Qu\xE1\xBA\xA7y \xE2\x80\x93 Tu\xCC\x9B pha\xCC\x81p!"),
              (std::vector<std::string>{"quầy", "tư", "pháp"}));
    EXPECT_TRUE(syllables(" , . ").empty());
}

TEST(VoiceAnnouncement, NeededSyllablesCoverEverythingSaid)
{
    auto s = office();
    s.counter_names[2] = "quầy tiếp nhận";
    auto needed = needed_syllables(s);
    auto has = [&](const std::string& w) { return std::binary_search(needed.begin(), needed.end(), w); };
    for (auto w : {"xin", "mời", "công", "dân", "có", "số", "thứ", "tự", "đến", "quầy", "lần", "hai", "tiếp", "nhận",
                   "mười", "mươi", "mốt", "tư", "lăm", "linh", "trăm", "năm", "lên", "để", "nộp", "hồ", "sơ", "đất", "đai"})
        EXPECT_TRUE(has(w)) << w;
    // Services issue up to 599: no thousands; prefixes are not spoken; north only.
    for (auto w : {"nghìn", "ngàn", "lẻ", "pháp", "pê", ","})
        EXPECT_FALSE(has(w)) << w;
    // Every syllable of every announcement the config can make is in the list.
    for (int n : {1, 15, 105, 299})
        for (auto& syl : syllables(announcement_text(Kind::recall, "TP-" + std::to_string(n), "TP", 12, s)))
            EXPECT_TRUE(syl == pause || has(syl)) << syl;
}

TEST(VoiceAnnouncement, NeededSyllablesFollowDialectAndPrefixes)
{
    auto s = office();
    s.services["TP"].last = 1200;
    s.numbers.dialect = Dialect::south;
    s.speak_prefix = true;
    auto needed = needed_syllables(s);
    auto has = [&](const std::string& w) { return std::binary_search(needed.begin(), needed.end(), w); };
    for (auto w : {"ngàn", "lẻ", "pháp", "dê", "u", "tê"})
        EXPECT_TRUE(has(w)) << w;
    EXPECT_FALSE(has("nghìn"));
    EXPECT_FALSE(has("linh"));
}

} // namespace
} // namespace motcua::voice
