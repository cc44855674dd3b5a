using System.Text;

namespace Harness.Reporting;

/// <summary>The trace as text: a header per semantics, then every tensor in the dump format.</summary>
public static class TraceText
{
    public static string Render(TraceDocument doc)
    {
        var text = new StringBuilder();
        text.Append("# scenario ").Append(doc.Scenario).Append(": ").Append(doc.Shape).Append(", ")
            .Append(doc.Dtype.ToString().ToLowerInvariant()).Append(", ").Append(doc.Device).Append('\n');
        foreach (var setting in doc.Settings)
        {
            text.Append("#   ").Append(setting).Append('\n');
        }

        foreach (var trace in doc.Traces)
        {
            text.Append("\n## ").Append(trace.Semantics).Append(" semantics\n\n");
            foreach (var (name, stats) in trace.Tensors)
            {
                text.Append(TensorDump.Render(name, stats)).Append('\n');
            }
        }

        return text.ToString();
    }
}
