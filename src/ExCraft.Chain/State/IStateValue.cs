namespace ExCraft.Chain.State;

/// <summary>
/// A state value kept as the object it encodes (<see cref="StateOverlay.Set(byte[], IStateValue)"/>):
/// <see cref="Encode"/> gives its stored bytes, and decoding those bytes gives back an equal object.
/// </summary>
public interface IStateValue
{
    byte[] Encode();
}
