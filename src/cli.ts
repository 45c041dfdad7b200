import { Command } from 'commander';

const program = new Command('camera-load');
program.parse();
