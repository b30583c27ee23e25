using System.Diagnostics.CodeAnalysis;

namespace P2psip.Wire;

/// <summary>The outcome of a strict decode: a value, or the error that stopped it. Never an exception.</summary>
public readonly struct DecodeResult<T> where T : class
{
    private DecodeResult(T? value, DecodeError? error) { Value = value; Error = error; }

    public T? Value { get; }
    public DecodeError? Error { get; }

    [MemberNotNullWhen(true, nameof(Value))]
    [MemberNotNullWhen(false, nameof(Error))]
    public bool IsSuccess => Error is null;

    public static DecodeResult<T> Ok(T value) => new(value, null);
    public static DecodeResult<T> Fail(DecodeError error) => new(null, error);

    public T GetValueOrThrow() => IsSuccess ? Value : throw new InvalidDataException(Error.ToString());

    public override string ToString() => IsSuccess ? $"Ok({Value})" : $"Error({Error})";
}
