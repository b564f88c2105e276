//! The MLP's f32 matrix products, c = a b + beta c: natively ndarray's GEMM
//! (matrixmultiply, with AVX and FMA), and in WebAssembly built with
//! `simd128` (as the site is) kernels of our own on 4-lane vectors, since
//! matrixmultiply has none for wasm and its scalar fallback is what the page
//! ran before. [`matmul_reference`] is the slow, obviously right version the
//! kernels are tested against (CB Lab's `tests/matmul.rs`, in node).
//!
//! The MLP multiplies in three shapes, and the kernels take each with the
//! operand it reads in the inner loop contiguous: the forward pass
//! (x W, rows of W contiguous) and the weight gradients (x^T delta, rows of
//! delta contiguous) broadcast one element of `a` over 4 or 8 columns of a row
//! of `b`; the input gradients (delta W^T) are dot products of two contiguous
//! rows. Any other layout goes to ndarray.

use ndarray::linalg::general_mat_mul;
use ndarray::{ArrayView2, ArrayViewMut2};

/// Whether this build multiplies with the SIMD kernels (wasm32 with simd128).
pub const SIMD: bool = cfg!(all(target_arch = "wasm32", target_feature = "simd128"));

/// c = a b + beta c.
pub fn matmul(
    a: ArrayView2<'_, f32>,
    b: ArrayView2<'_, f32>,
    beta: f32,
    c: &mut ArrayViewMut2<'_, f32>,
) {
    #[cfg(all(target_arch = "wasm32", target_feature = "simd128"))]
    if simd::matmul(&a, &b, beta, c) {
        return;
    }
    general_mat_mul(1.0, &a, &b, beta, c);
}

/// c = a b + beta c, one dot product per element, summed in index order.
pub fn matmul_reference(
    a: ArrayView2<'_, f32>,
    b: ArrayView2<'_, f32>,
    beta: f32,
    c: &mut ArrayViewMut2<'_, f32>,
) {
    assert_eq!(a.ncols(), b.nrows(), "inner dimensions");
    assert_eq!(c.dim(), (a.nrows(), b.ncols()), "output shape");
    for i in 0..a.nrows() {
        for j in 0..b.ncols() {
            let sum: f32 = (0..a.ncols()).map(|k| a[[i, k]] * b[[k, j]]).sum();
            let before = if beta == 0.0 { 0.0 } else { beta * c[[i, j]] };
            c[[i, j]] = sum + before;
        }
    }
}

#[cfg(all(target_arch = "wasm32", target_feature = "simd128"))]
mod simd {
    use core::arch::wasm32::*;

    use ndarray::{ArrayView2, ArrayViewMut2};

    /// The kernels' c = a b + beta c, when the layouts suit one; false otherwise.
    pub fn matmul(
        a: &ArrayView2<'_, f32>,
        b: &ArrayView2<'_, f32>,
        beta: f32,
        c: &mut ArrayViewMut2<'_, f32>,
    ) -> bool {
        let (m, k) = a.dim();
        let n = b.ncols();
        assert_eq!(b.nrows(), k, "inner dimensions");
        assert_eq!(c.dim(), (m, n), "output shape");
        if m == 0 || n == 0 || c.strides()[1] != 1 {
            return false;
        }
        let (sa, sb) = (a.strides(), b.strides());
        let c_row = c.strides()[0];
        let broadcast = sb[1] == 1 || n == 1;
        let dots = sb[0] == 1 && (sa[1] == 1 || k == 1);
        if !(broadcast || dots) {
            return false;
        }
        if beta == 0.0 {
            c.fill(0.0);
        } else if beta != 1.0 {
            c.map_inplace(|v| *v *= beta);
        }
        if k == 0 {
            return true;
        }
        let c_ptr = c.as_mut_ptr();
        // SAFETY: the pointers and strides are the views' own, and every
        // index the kernels form is within the shapes checked above.
        unsafe {
            if broadcast {
                let a = Strided::new(a.as_ptr(), sa[0], sa[1]);
                let b = Strided::new(b.as_ptr(), sb[0], 1);
                broadcast_rows(m, n, k, a, b, c_ptr, c_row);
            } else {
                let a = Strided::new(a.as_ptr(), sa[0], 1);
                // b = bt^T, with bt's rows (b's columns) contiguous.
                let bt = Strided::new(b.as_ptr(), sb[1], 1);
                dot_rows(m, n, k, a, bt, c_ptr, c_row);
            }
        }
        true
    }

    /// A matrix's first element and its row and column strides, in elements.
    #[derive(Clone, Copy)]
    struct Strided {
        ptr: *const f32,
        row: isize,
        col: isize,
    }

    impl Strided {
        fn new(ptr: *const f32, row: isize, col: isize) -> Self {
            Self { ptr, row, col }
        }

        /// The address of element (i, j).
        unsafe fn at(self, i: usize, j: usize) -> *const f32 {
            unsafe {
                self.ptr
                    .offset(i as isize * self.row + j as isize * self.col)
            }
        }
    }

    /// c[i, j] += sum_k a[i, k] b[k, j], rows of b and c contiguous: tiles of
    /// 4 rows of c, 8 columns (two vectors) at a time, then 4, then single.
    unsafe fn broadcast_rows(
        m: usize,
        n: usize,
        k: usize,
        a: Strided,
        b: Strided,
        c: *mut f32,
        c_row: isize,
    ) {
        let mut i = 0;
        while i + 4 <= m {
            unsafe { broadcast_tile::<4>(i, n, k, a, b, c, c_row) };
            i += 4;
        }
        while i < m {
            unsafe { broadcast_tile::<1>(i, n, k, a, b, c, c_row) };
            i += 1;
        }
    }

    #[inline(always)]
    unsafe fn broadcast_tile<const R: usize>(
        i: usize,
        n: usize,
        k: usize,
        a: Strided,
        b: Strided,
        c: *mut f32,
        c_row: isize,
    ) {
        let out = |r: usize, j: usize| unsafe { c.offset((i + r) as isize * c_row + j as isize) };
        let mut j = 0;
        while j + 8 <= n {
            let mut acc = [[f32x4_splat(0.0); 2]; R];
            for kk in 0..k {
                let row = unsafe { b.at(kk, j) };
                let (b0, b1) = unsafe { (load(row), load(row.add(4))) };
                for (r, acc) in acc.iter_mut().enumerate() {
                    let x = f32x4_splat(unsafe { *a.at(i + r, kk) });
                    acc[0] = f32x4_add(acc[0], f32x4_mul(x, b0));
                    acc[1] = f32x4_add(acc[1], f32x4_mul(x, b1));
                }
            }
            for (r, acc) in acc.iter().enumerate() {
                unsafe {
                    add_to(out(r, j), acc[0]);
                    add_to(out(r, j + 4), acc[1]);
                }
            }
            j += 8;
        }
        while j + 4 <= n {
            let mut acc = [f32x4_splat(0.0); R];
            for kk in 0..k {
                let b0 = unsafe { load(b.at(kk, j)) };
                for (r, acc) in acc.iter_mut().enumerate() {
                    let x = f32x4_splat(unsafe { *a.at(i + r, kk) });
                    *acc = f32x4_add(*acc, f32x4_mul(x, b0));
                }
            }
            for (r, acc) in acc.iter().enumerate() {
                unsafe { add_to(out(r, j), *acc) };
            }
            j += 4;
        }
        while j < n {
            for r in 0..R {
                let mut sum = 0.0;
                for kk in 0..k {
                    sum += unsafe { *a.at(i + r, kk) * *b.at(kk, j) };
                }
                unsafe { *out(r, j) += sum };
            }
            j += 1;
        }
    }

    /// c[i, j] += sum_k a[i, k] bt[j, k], rows of a and bt contiguous: each
    /// row of a against 4 rows of bt at a time, 4 terms per vector.
    unsafe fn dot_rows(
        m: usize,
        n: usize,
        k: usize,
        a: Strided,
        bt: Strided,
        c: *mut f32,
        c_row: isize,
    ) {
        let k4 = k - k % 4;
        for i in 0..m {
            let x = unsafe { a.at(i, 0) };
            let out = unsafe { c.offset(i as isize * c_row) };
            let mut j = 0;
            while j + 4 <= n {
                let rows = [0, 1, 2, 3].map(|t| unsafe { bt.at(j + t, 0) });
                let mut acc = [f32x4_splat(0.0); 4];
                let mut kk = 0;
                while kk < k4 {
                    let xv = unsafe { load(x.add(kk)) };
                    for (acc, row) in acc.iter_mut().zip(rows) {
                        *acc = f32x4_add(*acc, f32x4_mul(xv, unsafe { load(row.add(kk)) }));
                    }
                    kk += 4;
                }
                for (t, (acc, row)) in acc.iter().zip(rows).enumerate() {
                    let mut sum = lanes_sum(*acc);
                    for kk in k4..k {
                        sum += unsafe { *x.add(kk) * *row.add(kk) };
                    }
                    unsafe { *out.add(j + t) += sum };
                }
                j += 4;
            }
            while j < n {
                let row = unsafe { bt.at(j, 0) };
                let mut acc = f32x4_splat(0.0);
                let mut kk = 0;
                while kk < k4 {
                    acc = f32x4_add(
                        acc,
                        f32x4_mul(unsafe { load(x.add(kk)) }, unsafe { load(row.add(kk)) }),
                    );
                    kk += 4;
                }
                let mut sum = lanes_sum(acc);
                for kk in k4..k {
                    sum += unsafe { *x.add(kk) * *row.add(kk) };
                }
                unsafe { *out.add(j) += sum };
                j += 1;
            }
        }
    }

    #[inline(always)]
    unsafe fn load(p: *const f32) -> v128 {
        // v128_load reads unaligned.
        unsafe { v128_load(p as *const v128) }
    }

    #[inline(always)]
    unsafe fn add_to(p: *mut f32, v: v128) {
        unsafe { v128_store(p as *mut v128, f32x4_add(v128_load(p as *const v128), v)) };
    }

    #[inline(always)]
    fn lanes_sum(v: v128) -> f32 {
        (f32x4_extract_lane::<0>(v) + f32x4_extract_lane::<1>(v))
            + (f32x4_extract_lane::<2>(v) + f32x4_extract_lane::<3>(v))
    }
}
