// A fake architecture for PlantedViolationTests: a few roles under the root Harness.Tests.Layering.Planted, with
// right-way references and one planted wrong-way reference of each kind. Nothing here is called; the types exist
// to be loaded and judged by the rules that judge the harness.
namespace Harness.Tests.Layering.Planted.Model
{
    internal sealed record Shape(int Rows, int Columns);

    /// <summary>Wrong way: a leaf reaching up into Torch.</summary>
    internal static class ShapeUsingTorch
    {
        public static int Rows(Torch.ShapeTensor t) => t.Shape.Rows;
    }
}

namespace Harness.Tests.Layering.Planted.Torch
{
    internal sealed record ShapeTensor(Model.Shape Shape);
}

namespace Harness.Tests.Layering.Planted.Native
{
    internal sealed class RefusedShape(string message) : Exception(message);
}

namespace Harness.Tests.Layering.Planted.Kernels
{
    internal static class Variant
    {
        public static void EnsureRuns(Model.Shape shape)
        {
            if (shape.Rows == 0)
            {
                throw new Native.RefusedShape("no rows");
            }
        }
    }
}

namespace Harness.Tests.Layering.Planted.Reference
{
    internal static class Layer
    {
        public static Model.Shape Run(Model.Shape shape) => shape;
    }
}

namespace Harness.Tests.Layering.Planted.Comparison
{
    internal sealed record Verdict(bool Passed);

    /// <summary>Right way: Comparison uses Reference, Kernels and the leaves.</summary>
    internal static class Verifier
    {
        public static Verdict Verify(Model.Shape shape)
        {
            Kernels.Variant.EnsureRuns(shape);
            return new Verdict(Reference.Layer.Run(shape) == shape);
        }
    }

    /// <summary>Wrong way: Comparison reaching up into Reporting.</summary>
    internal static class VerifierUsingReporting
    {
        public static string Verify(Model.Shape shape) => Reporting.VerdictText.Of(new Verdict(shape.Rows > 0));
    }

    /// <summary>Wrong way: Comparison past Kernels into Native (the harness's LayerVerifier did this).</summary>
    internal static class VerifierUsingNative
    {
        public static Verdict Verify(Model.Shape shape) => shape.Rows > 0 ? new Verdict(true) : throw new Native.RefusedShape("no rows");
    }
}

namespace Harness.Tests.Layering.Planted.Diagnosis
{
    /// <summary>Right way: computes and returns data.</summary>
    internal static class Diagnoser
    {
        public static bool Diagnose(Comparison.Verdict verdict) => !verdict.Passed;
    }

    /// <summary>Wrong way: Diagnosis printing.</summary>
    internal static class DiagnoserPrinting
    {
        public static void Diagnose(Comparison.Verdict verdict) => Console.WriteLine(verdict.Passed);
    }

    /// <summary>Wrong way: Diagnosis writing a file.</summary>
    internal static class DiagnoserWritingAFile
    {
        public static void Diagnose(Comparison.Verdict verdict, string path) => File.WriteAllText(path, verdict.Passed.ToString());
    }

    /// <summary>Wrong way: Diagnosis rendering with the console library.</summary>
    internal static class DiagnoserMarkingUp
    {
        public static string Diagnose(Comparison.Verdict verdict) => Spectre.Console.Markup.Escape(verdict.Passed.ToString());
    }
}

namespace Harness.Tests.Layering.Planted.Reporting
{
    /// <summary>Right way: Reporting uses Comparison and Diagnosis and may write.</summary>
    internal static class VerdictText
    {
        public static string Of(Comparison.Verdict verdict) => verdict.Passed ? "PASS" : Diagnosis.Diagnoser.Diagnose(verdict) ? "FAIL (diagnosed)" : "FAIL";

        public static void Write(Comparison.Verdict verdict, string path) => File.WriteAllText(path, Of(verdict));
    }
}
