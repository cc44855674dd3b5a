using Harness.Reporting;

namespace Harness.Tests.Reporting;

public sealed class HangingIndentTests
{
    [Test]
    public void Wrap_LongFinding_BreaksAtWordsUnderTheText()
    {
        var lines = HangingIndent.Wrap("error enters at attn.dense with 1.18 of its budget", "  - ", 20);

        lines.Should().Equal("  - error enters at", "    attn.dense with", "    1.18 of its", "    budget");
    }

    [Test]
    public void Wrap_WordLongerThanTheLine_StandsAloneWhole()
    {
        var lines = HangingIndent.Wrap("a-word-longer-than-the-line stays whole", "  - ", 12);

        lines.Should().Equal("  - a-word-longer-than-the-line", "    stays", "    whole");
    }

    [Test]
    public void Wrap_ShortText_OneLine() => HangingIndent.Wrap("short", "  - ", 80).Should().Equal("  - short");
}
