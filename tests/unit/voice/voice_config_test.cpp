// [voice] in the config: values reach the Speech, mistakes are reported at file:line:col.

#include "config/load.hpp"

#include <gtest/gtest.h>

namespace motcua::config
{
namespace
{

const std::string kBase = R"([office]
name = "Thử"
unit_code = "000.00.00.H99"

[[service]]
id = "TP"
number = 1
name = "Tư pháp"
first = 1
last = 1200
prefix = "TP-"

[[counter]]
number = 3
services = ["TP"]
)";

TEST(VoiceConfig, ValuesReachTheSpeech)
{
    auto r = load_string(kBase + R"(
[voice]
dialect = "south"
four_after_tens = "bốn"
reading = "digits"
alsa_device = "plughw:1,0"
quiet_hours = ["11:30-13:30"]

[[voice.service]]
id = "TP"
spoken_prefix = "tư pháp"

[[voice.counter]]
number = 3
name = "quầy ba"
)",
                         "office.toml", {});
    ASSERT_TRUE(r.config) << r.diags.str();
    const auto& v = r.config->voice;
    EXPECT_TRUE(v.enabled);
    EXPECT_EQ(v.speech.numbers.dialect, voice::Dialect::south);
    EXPECT_FALSE(v.speech.numbers.four_after_tens_as_tu);
    EXPECT_EQ(v.speech.reading, voice::Reading::digits);
    EXPECT_EQ(v.alsa_device, "plughw:1,0");
    ASSERT_EQ(v.quiet_hours.size(), 1u);
    EXPECT_EQ(v.quiet_hours[0].first.minutes, 11 * 60 + 30);
    EXPECT_EQ(v.speech.services.at("TP").spoken_prefix, "tư pháp");
    EXPECT_EQ(v.speech.services.at("TP").last, 1200);
    EXPECT_EQ(v.speech.counter_names.at(3), "quầy ba");
}

TEST(VoiceConfig, AbsentSectionMeansNoVoice)
{
    auto r = load_string(kBase, "office.toml", {});
    ASSERT_TRUE(r.config) << r.diags.str();
    EXPECT_FALSE(r.config->voice.enabled);
}

TEST(VoiceConfig, MistakesNamedWithTheirPosition)
{
    auto r = load_string(kBase + R"(
[voice]
call = "Mời {numbr} đến {counter}"
dialect = "central"
alsa_device = "none"

[[voice.service]]
id = "XX"

[[voice.counter]]
number = 7
name = "quầy bảy"
)",
                         "office.toml", {});
    EXPECT_FALSE(r.config);
    auto text = r.diags.str();
    EXPECT_NE(text.find("office.toml:18:8: voice.call: unknown placeholder {numbr}"), std::string::npos) << text;
    EXPECT_NE(text.find("office.toml:19:11: voice.dialect = \"central\" is not one of: north, south"), std::string::npos) << text;
    EXPECT_NE(text.find("names unknown service \"XX\""), std::string::npos) << text;
    EXPECT_NE(text.find("number = 7 is not a configured [[counter]]"), std::string::npos) << text;
    // Nowhere to speak: neither a sound card nor a record.
    EXPECT_NE(text.find("[voice] has nowhere to speak"), std::string::npos) << text;
}

} // namespace
} // namespace motcua::config
