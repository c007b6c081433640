package cqltest

import (
	"math"
	"math/big"
	"strconv"
)

// allocateTokens gives each of n nodes k Murmur3 tokens, spread evenly over
// the whole ring [-2^63, 2^63) and interleaved between nodes, as a balanced
// vnode allocation would be. Tokens are the decimal strings system.local
// and system.peers list.
func allocateTokens(n, k int) [][]string {
	total := int64(n * k)
	step := new(big.Int).Div(new(big.Int).Lsh(big.NewInt(1), 64), big.NewInt(total))
	out := make([][]string, n)
	for i := int64(0); i < total; i++ {
		t := new(big.Int).Mul(step, big.NewInt(i))
		t.Add(t, big.NewInt(math.MinInt64))
		// Offset by half a step so that no token sits on the ring's minimum,
		// which Murmur3Partitioner reserves.
		t.Add(t, new(big.Int).Rsh(step, 1))
		node := int(i % int64(n))
		out[node] = append(out[node], strconv.FormatInt(t.Int64(), 10))
	}
	return out
}
