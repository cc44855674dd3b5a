using System.Buffers.Binary;
using Harness.Reporting.Plots;
using SkiaSharp;

namespace Harness.Tests.Reporting;

public sealed class PlotsPngTests
{
    private static readonly byte[] PngMagic = [0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A];

    private string directory = string.Empty;

    [SetUp]
    public void CreateDirectory() => directory = Directory.CreateTempSubdirectory("harness-plots-").FullName;

    [TearDown]
    public void RemoveDirectory() => Directory.Delete(directory, recursive: true);

    [Test]
    public void SaveHeatmap_SmallMatrix_WritesPngOfRequestedSize()
    {
        var values = new double[7, 15];
        values[6, 14] = 0.5;
        values[3, 2] = double.NaN;
        var path = Path.Combine(directory, "nested", "heatmap.png");

        ErrorPlots.SaveHeatmap(values, "output |error|", "column h·D+d", "row b·S+s", path, 640, 480);

        ReadPngSize(path).Should().Be((640, 480));
    }

    [TestCase(40, 1)]
    [TestCase(1, 12)]
    public void SaveHeatmap_OneCellWideOrTall_DrawsTheHotCell(int rows, int columns)
    {
        // The hot cell sits in column 0: the pixel count skips the right quarter (the colour bar), and how far the
        // plot area reaches into it depends on the installed font's label widths (it did on the H100 machine).
        var values = new double[rows, columns];
        values[rows - 1, 0] = 1;
        var path = Path.Combine(directory, "thin.png");

        ErrorPlots.SaveHeatmap(values, "attn.ln_sum |error|", "value", "row", path, 400, 400);

        ReadPngSize(path).Should().Be((400, 400));
        CountViridisTopPixels(path).Should().BeGreaterThan(20, "the hottest cell must be drawn in the colormap's top colour");
    }

    // A kernel that crashed or never wrote a tensor leaves only NaN: its report still gets its plots (found on the GPU,
    // 2026-11-26: "min must be a real number" ended a seed-case report of a crashed worker).
    [Test]
    public void SaveHeatmap_OnlyNaN_StillWritesPng()
    {
        var values = new double[4, 6];
        foreach (var (r, c) in Enumerable.Range(0, 4).SelectMany(r => Enumerable.Range(0, 6).Select(c => (r, c))))
        {
            values[r, c] = double.NaN;
        }

        var path = Path.Combine(directory, "nan-heatmap.png");

        ErrorPlots.SaveHeatmap(values, "attn.q |error|", "column", "row", path, 400, 300);

        ReadPngSize(path).Should().Be((400, 300));
    }

    [Test]
    public void SaveHistogram_OnlyNaN_StillWritesPng()
    {
        var path = Path.Combine(directory, "nan-histogram.png");

        ErrorPlots.SaveHistogram([double.NaN, double.NaN, double.PositiveInfinity], "attn.q |error|", path, 400, 300);

        ReadPngSize(path).Should().Be((400, 300));
    }

    [Test]
    public void SaveHistogram_ErrorsWithZerosAndNaN_WritesPngOfRequestedSize()
    {
        var errors = Enumerable.Range(0, 500).Select(i => Math.Pow(10, -6 + i % 50 * 0.1)).Concat([0, 0, double.NaN]).ToArray();
        var path = Path.Combine(directory, "histogram.png");

        ErrorPlots.SaveHistogram(errors, "attn.probs |error|", path, 800, 600);

        ReadPngSize(path).Should().Be((800, 600));
    }

    [Test]
    public void SaveHistogram_OnlyZeros_StillWritesPng()
    {
        var path = Path.Combine(directory, "zeros.png");

        ErrorPlots.SaveHistogram([0, 0, 0], "exact", path);

        ReadPngSize(path).Should().Be((ErrorPlots.DefaultWidth, ErrorPlots.DefaultHeight));
    }

    [Test]
    public void SaveHeatmap_NoCells_ThrowsNamingThePlot()
    {
        var act = () => ErrorPlots.SaveHeatmap(new double[0, 4], "empty map", "x", "y", Path.Combine(directory, "e.png"));

        act.Should().Throw<ArgumentException>().WithMessage("heatmap 'empty map' has no cells*");
    }

    [Test]
    public void SaveHistogram_NoErrors_ThrowsNamingThePlot()
    {
        var act = () => ErrorPlots.SaveHistogram([], "nothing", Path.Combine(directory, "e.png"));

        act.Should().Throw<ArgumentException>().WithMessage("histogram 'nothing' has no errors to plot*");
    }

    /// <summary>Pixels close to Viridis' top colour (253, 231, 37) outside the colour bar's own column of pixels.</summary>
    private static int CountViridisTopPixels(string path)
    {
        using var bitmap = SKBitmap.Decode(path);
        var count = 0;
        for (var y = 0; y < bitmap.Height; y++)
        {
            for (var x = 0; x < bitmap.Width * 3 / 4; x++)
            {
                var p = bitmap.GetPixel(x, y);
                count += Math.Abs(p.Red - 253) + Math.Abs(p.Green - 231) + Math.Abs(p.Blue - 37) < 40 ? 1 : 0;
            }
        }

        return count;
    }

    /// <summary>Checks the PNG signature and reads width and height from the IHDR chunk that must follow it.</summary>
    private static (int Width, int Height) ReadPngSize(string path)
    {
        File.Exists(path).Should().BeTrue($"{path} should have been written");
        var bytes = File.ReadAllBytes(path);
        bytes.Length.Should().BeGreaterThan(33);
        bytes.AsSpan(0, 8).ToArray().Should().Equal(PngMagic);
        System.Text.Encoding.ASCII.GetString(bytes, 12, 4).Should().Be("IHDR");
        return (BinaryPrimitives.ReadInt32BigEndian(bytes.AsSpan(16, 4)), BinaryPrimitives.ReadInt32BigEndian(bytes.AsSpan(20, 4)));
    }
}
