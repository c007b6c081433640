package store

import (
	"encoding/binary"
	"math"
	"math/bits"
)

// Token returns the Murmur3Partitioner token of a serialized partition key,
// as Cassandra computes it (including its sign-extension of tail bytes), so
// that token() in queries and drivers' token-aware routing agree with us.
func Token(key []byte) int64 {
	h := murmur3H1(key)
	if h == math.MinInt64 {
		return math.MaxInt64
	}
	return h
}

const (
	mmC1 = 0x87c37b91114253d5
	mmC2 = 0x4cf5ad432745937f
)

func fmix64(k uint64) uint64 {
	k ^= k >> 33
	k *= 0xff51afd7ed558ccd
	k ^= k >> 33
	k *= 0xc4ceb9fe1a85ec53
	k ^= k >> 33
	return k
}

func murmur3H1(data []byte) int64 {
	var h1, h2 uint64
	n := len(data)
	nblocks := n / 16
	for i := 0; i < nblocks; i++ {
		k1 := binary.LittleEndian.Uint64(data[i*16:])
		k2 := binary.LittleEndian.Uint64(data[i*16+8:])
		k1 *= mmC1
		k1 = bits.RotateLeft64(k1, 31)
		k1 *= mmC2
		h1 ^= k1
		h1 = bits.RotateLeft64(h1, 27)
		h1 += h2
		h1 = h1*5 + 0x52dce729
		k2 *= mmC2
		k2 = bits.RotateLeft64(k2, 33)
		k2 *= mmC1
		h2 ^= k2
		h2 = bits.RotateLeft64(h2, 31)
		h2 += h1
		h2 = h2*5 + 0x38495ab5
	}
	tail := data[nblocks*16:]
	// Cassandra reads tail bytes as signed Java bytes: sign-extend them.
	b := func(i int) uint64 { return uint64(int64(int8(tail[i]))) }
	var k1, k2 uint64
	switch len(tail) {
	case 15:
		k2 ^= b(14) << 48
		fallthrough
	case 14:
		k2 ^= b(13) << 40
		fallthrough
	case 13:
		k2 ^= b(12) << 32
		fallthrough
	case 12:
		k2 ^= b(11) << 24
		fallthrough
	case 11:
		k2 ^= b(10) << 16
		fallthrough
	case 10:
		k2 ^= b(9) << 8
		fallthrough
	case 9:
		k2 ^= b(8)
		k2 *= mmC2
		k2 = bits.RotateLeft64(k2, 33)
		k2 *= mmC1
		h2 ^= k2
		fallthrough
	case 8:
		k1 ^= b(7) << 56
		fallthrough
	case 7:
		k1 ^= b(6) << 48
		fallthrough
	case 6:
		k1 ^= b(5) << 40
		fallthrough
	case 5:
		k1 ^= b(4) << 32
		fallthrough
	case 4:
		k1 ^= b(3) << 24
		fallthrough
	case 3:
		k1 ^= b(2) << 16
		fallthrough
	case 2:
		k1 ^= b(1) << 8
		fallthrough
	case 1:
		k1 ^= b(0)
		k1 *= mmC1
		k1 = bits.RotateLeft64(k1, 31)
		k1 *= mmC2
		h1 ^= k1
	}
	h1 ^= uint64(n)
	h2 ^= uint64(n)
	h1 += h2
	h2 += h1
	h1 = fmix64(h1)
	h2 = fmix64(h2)
	h1 += h2
	return int64(h1)
}
