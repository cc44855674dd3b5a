using System.Text.Json;
using Harness.Model;

namespace Harness.Scenarios;

/// <summary>Reads the BERT fields of a Hugging Face config.json.</summary>
public static class HuggingFaceConfig
{
    public static BertConfig Read(string path)
    {
        try
        {
            using var doc = JsonDocument.Parse(File.ReadAllText(path));
            var root = doc.RootElement;
            int Integer(string name) => root.TryGetProperty(name, out var v) && v.TryGetInt32(out var i) && i > 0
                ? i
                : throw new CheckpointException($"config '{path}': '{name}' must be a positive integer");
            var model = Integer("hidden_size");
            var heads = Integer("num_attention_heads");
            if (model % heads != 0)
            {
                throw new CheckpointException($"config '{path}': hidden_size {model} is not a multiple of num_attention_heads {heads}");
            }

            var eps = root.TryGetProperty("layer_norm_eps", out var e) && e.TryGetDouble(out var d) ? d : 1e-12;
            var act = root.TryGetProperty("hidden_act", out var a) ? a.GetString() : "gelu";
            var activation = act switch
            {
                "gelu" => Activation.GeluErf,
                "gelu_new" or "gelu_pytorch_tanh" => Activation.GeluTanh,
                "relu" => Activation.Relu,
                _ => throw new CheckpointException($"config '{path}': hidden_act '{act}' is not one the harness computes (gelu, gelu_new, relu)"),
            };
            return new BertConfig(Integer("num_hidden_layers"), model, heads, model / heads, Integer("intermediate_size"), eps, activation);
        }
        catch (JsonException e)
        {
            throw new CheckpointException($"config '{path}': not valid JSON ({e.Message})", e);
        }
    }
}
