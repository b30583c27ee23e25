using System.Numerics;
using P2psip.Messages;
using P2psip.Wire;

namespace P2psip.Adversary;

/// <summary>
/// Applies a <see cref="MutateAction"/> to a copy by adding <see cref="WireEdits"/>: integer fields
/// get a new value at their width (Set), byte fields and structures get new bytes (Replace). Returns
/// a note for the log when nothing could be changed.
/// </summary>
internal static class FieldMutator
{
    public static string? Apply(MutateAction action, WorkingCopy copy, DecisionRandom random)
    {
        if (copy.Model is null) return $"mutate {action.Path}: the message does not decode";
        var map = ReloadCodec.FieldMap(copy.Model, copy.Edits);
        var encoded = ReloadCodec.Encode(copy.Model, copy.Edits);
        var targets = FieldValues.Select(map, action.Path).ToList();
        if (targets.Count == 0) return $"mutate {action.Path}: no such field in {copy.Model}";
        foreach (var node in targets)
        {
            if (FieldValues.IsInteger(node) && action.Op is MutationOp.Set or MutationOp.Add or MutationOp.Xor or MutationOp.Random)
                copy.Edits.Set(node.Path, Integer(action, node, random));
            else
                copy.Edits.Replace(node.Path, Bytes(action, FieldValues.BytesOf(node, encoded), node.Path, random));
        }
        return null;
    }

    private static ulong Integer(MutateAction a, FieldNode node, DecisionRandom random)
    {
        var mask = FieldValues.Mask(node.Width);
        ulong operand = a.Op == MutationOp.Random ? 0 : Number(a);
        var v = a.Op switch
        {
            MutationOp.Set => operand,
            MutationOp.Add => node.Value + operand,
            MutationOp.Xor => node.Value ^ operand,
            _ => random.NextUInt64($"mutate {node.Path}"),
        };
        return v & mask;
    }

    private static byte[] Bytes(MutateAction a, byte[] current, string path, DecisionRandom random)
    {
        switch (a.Op)
        {
            case MutationOp.Set: return Hex(a);
            case MutationOp.Xor:
            {
                var mask = Hex(a);
                var result = (byte[])current.Clone();
                if (mask.Length > 0) for (int i = 0; i < result.Length; i++) result[i] ^= mask[i % mask.Length];
                return result;
            }
            case MutationOp.Add:
            {
                var sum = (FieldValues.AsNumber(current) + new BigInteger(Number(a))) % BigInteger.Pow(256, Math.Max(current.Length, 1));
                var bytes = sum.ToByteArray(isUnsigned: true, isBigEndian: true);
                var result = new byte[current.Length];
                bytes.AsSpan(Math.Max(0, bytes.Length - result.Length)).CopyTo(result.AsSpan(Math.Max(0, result.Length - bytes.Length)));
                return result;
            }
            case MutationOp.Truncate: return current[..Math.Clamp(a.Count ?? 0, 0, current.Length)];
            case MutationOp.Insert:
            {
                int at = Math.Clamp(a.Offset ?? current.Length, 0, current.Length);
                return [.. current[..at], .. Hex(a), .. current[at..]];
            }
            case MutationOp.Delete:
            {
                int at = Math.Clamp(a.Offset ?? 0, 0, current.Length);
                int n = Math.Clamp(a.Count ?? 1, 0, current.Length - at);
                return [.. current[..at], .. current[(at + n)..]];
            }
            default: return random.NextBytes($"mutate {path}", a.Count ?? current.Length);
        }
    }

    private static ulong Number(MutateAction a) =>
        FieldValues.TryNumber(a.Value ?? "0", out var v) ? v
        : throw new ArgumentException($"mutate {a.Path}: '{a.Value}' is not a number");

    private static byte[] Hex(MutateAction a) =>
        NodeResolver.TryHex(a.Value ?? "", out var bytes) || string.IsNullOrEmpty(a.Value) ? bytes.ToArray()
        : FieldValues.TryNumber(a.Value, out var n) ? FieldValues.BigEndian(n, 8)
        : throw new ArgumentException($"mutate {a.Path}: '{a.Value}' is not hex");
}
