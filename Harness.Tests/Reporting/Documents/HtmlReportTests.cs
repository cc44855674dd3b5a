using System.Text.RegularExpressions;
using Harness.Reporting.Documents;

namespace Harness.Tests.Reporting.Documents;

public sealed class HtmlReportTests : ReportDirectory
{
    private static readonly byte[] PngSignature = [0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A];

    [Test]
    public void Write_SampleModel_ElementsAreBalanced()
    {
        var html = File.ReadAllText(HtmlReport.Write(SampleReport.Build(), OutputDirectory));

        html.Should().StartWith("<!DOCTYPE html>");
        HtmlStructure.Imbalance(html).Should().BeNull();
        Regex.Count(html, "<details").Should().Be(3).And.Be(Regex.Count(html, "</details>"));
    }

    [Test]
    public void Write_SampleModel_FailingTensorsOpenPassingClosed()
    {
        var html = File.ReadAllText(HtmlReport.Write(SampleReport.Build(), OutputDirectory));

        var details = Regex.Matches(html, "<details[^>]*>").Select(m => m.Value).ToList();
        details.Should().Equal(
            "<details class=\"tensor passed\" id=\"tensor-1\">",
            "<details class=\"tensor failed\" id=\"tensor-2\" open>",
            "<details class=\"tensor failed\" id=\"tensor-3\" open>");
    }

    [Test]
    public void Write_FailingTensorWithPlotData_EmbedsTheTwoPngFilesAsDataUris()
    {
        var html = File.ReadAllText(HtmlReport.Write(SampleReport.Build(), OutputDirectory));

        var embedded = HtmlStructure.EmbeddedPngs(html);
        embedded.Should().HaveCount(2);
        embedded.Should().OnlyContain(png => png.Take(8).SequenceEqual(PngSignature));
        embedded[0].Should().Equal(File.ReadAllBytes(Path.Combine(OutputDirectory, "02-attn.probs-heatmap.png")));
        embedded[1].Should().Equal(File.ReadAllBytes(Path.Combine(OutputDirectory, "02-attn.probs-histogram.png")));
    }

    [Test]
    public void Write_SampleModel_ReferencesNothingOutside()
    {
        var html = File.ReadAllText(HtmlReport.Write(SampleReport.Build(), OutputDirectory));

        html.Should().NotContainEquivalentOf("http");
        html.Should().NotContainEquivalentOf("<link");
        Regex.Matches(html, "(?:src|href)=\"([^\"]*)\"").Select(m => m.Groups[1].Value)
            .Should().OnlyContain(target => target.StartsWith('#') || target.StartsWith("data:image/png;base64,", StringComparison.Ordinal));
    }

    [Test]
    public void Write_MarkupInTexts_IsHtmlEncoded()
    {
        var html = File.ReadAllText(HtmlReport.Write(SampleReport.Build(), OutputDirectory));

        Regex.Count(html, "<script>").Should().Be(1, "the page's own script is the only one");
        html.Should().NotContain("alert('x')");
        html.Should().Contain("&lt;script&gt;alert(&#39;x&#39;)&lt;/script&gt;&amp;co");
        html.Should().Contain("[0, 6, 14] | kernel &lt;b&gt;");
    }

    [Test]
    public void Write_SampleModel_TablesShowTheModelsRows()
    {
        var html = File.ReadAllText(HtmlReport.Write(SampleReport.Build(), OutputDirectory));

        html.Should().Contain("<tr><th>accumulation group</th><td>K=64</td></tr>");
        html.Should().Contain("<tr class=\"fail\"><td><a href=\"#tensor-2\"><code>attn.probs</code></a></td><td><span class=\"badge fail\">FAIL</span></td><td>origin</td>");
        html.Should().Contain("<tr class=\"explains\"><td class=\"num mono\">1</td><td>SoftmaxWithoutMaxSubtraction</td>");
        html.Should().Contain("<td><span class=\"badge na\">n/a</span></td><td>gamma/beta not given</td>");
        html.Should().Contain("error starts at <a href=\"#tensor-2\"><code>attn.probs</code></a>");
    }
}
