using ScottPlot;
using SkiaSharp;

namespace Harness.Reporting.Plots;

/// <summary>
/// Makes sure plot text has a font on machines without a desktop: ScottPlot's default family may be absent, in which
/// case Skia silently draws no glyphs. We pick an installed sans family (ScottPlot may otherwise settle on a serif one),
/// keep ScottPlot's choice if none of ours is installed, and say so when no font exists at all.
/// </summary>
internal static class PlotFonts
{
    private static readonly string[] Preferred = ["DejaVu Sans", "Liberation Sans", "Noto Sans", "FreeSans", "Arial", "Helvetica"];
    private static readonly object Gate = new();
    private static bool done;

    public static void EnsureUsable()
    {
        lock (Gate)
        {
            if (done)
            {
                return;
            }

            var installed = SKFontManager.Default.FontFamilies.ToHashSet(StringComparer.OrdinalIgnoreCase);
            var family = Preferred.FirstOrDefault(installed.Contains)
                ?? (installed.Contains(Fonts.Default) ? Fonts.Default : installed.Order().FirstOrDefault())
                ?? throw new InvalidOperationException("no font is installed, so plot labels cannot be drawn; install a TrueType font package (Debian: fonts-dejavu-core)");
            Fonts.Default = family;
            done = true;
        }
    }
}
