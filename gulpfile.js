const { src, dest, series } = require('gulp');
const { rm } = require('node:fs/promises');

// tsc emits only JavaScript: icons and codex files (*.node.json) are copied beside it.
function clean() {
	return rm('dist', { recursive: true, force: true });
}

function copyAssets() {
	return src(['nodes/**/*.{png,svg}', 'nodes/**/*.node.json', 'credentials/**/*.{png,svg}', 'icons/**/*.{png,svg}'], {
		base: '.',
		encoding: false,
	}).pipe(dest('dist'));
}

exports.clean = clean;
exports['build:icons'] = copyAssets;
exports.default = series(clean, copyAssets);
